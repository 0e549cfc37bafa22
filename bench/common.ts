// What every figure shares: the emulator's token, --quick, and the median.
export const TOKEN = 'bench-token';

/** `npm run bench -- --quick`: fewer runs and shorter operations, for a quick look. */
export const quick = process.argv.includes('--quick');

export function median(values: number[]): number {
  const sorted = [...values].sort((a, b) => a - b);
  return sorted[Math.floor(sorted.length / 2)] ?? Number.NaN;
}
