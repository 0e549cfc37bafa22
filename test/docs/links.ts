// Finds the relative links of the repository's Markdown and checks that each resolves: the file or
// folder exists, and a #anchor names a heading of the target (by GitHub's slugs) or an HTML id there.
import { existsSync, readdirSync, readFileSync, statSync } from 'node:fs';
import { dirname, join, normalize, relative } from 'node:path';

export const ROOT = join(import.meta.dirname, '../..');

/** The Markdown files whose links are checked, relative to the root. */
export function markdownFiles(root = ROOT): string[] {
  const inDir = (dir: string, deep: boolean): string[] => {
    if (!existsSync(join(root, dir))) return [];
    return readdirSync(join(root, dir), { withFileTypes: true }).flatMap((entry) => {
      const path = dir ? `${dir}/${entry.name}` : entry.name;
      if (entry.isDirectory()) return deep ? inDir(path, deep) : [];
      return entry.name.endsWith('.md') ? [path] : [];
    });
  };
  return [...inDir('', false), ...inDir('docs', true), ...inDir('emulator', true)].sort();
}

/** The lines of a Markdown text with those of fenced code blocks blanked, so line numbers hold. */
function outsideFences(markdown: string): string[] {
  let fence: string | undefined;
  return markdown.split('\n').map((line) => {
    const marker = /^\s*(`{3,}|~{3,})/.exec(line)?.[1];
    if (fence) {
      if (marker && marker[0] === fence[0] && marker.length >= fence.length) fence = undefined;
      return '';
    }
    if (marker) fence = marker;
    return marker ? '' : line;
  });
}

/** The prose of a Markdown text: outside fenced code blocks and inline code. */
export function prose(markdown: string): string[] {
  return outsideFences(markdown).map((line) => line.replace(/(`+)[\s\S]*?\1/g, ''));
}

/** GitHub's anchor for a heading's text: lower case, punctuation out but - and _, spaces to -. */
export function slug(heading: string): string {
  const text = heading
    .replace(/!?\[([^\]]*)\]\([^)]*\)/g, '$1') // a link or image: its text
    .replace(/<[^>]+>/g, '') // inline HTML
    .replace(/`/g, '');
  return text
    .trim()
    .toLowerCase()
    .replace(/[^\p{L}\p{M}\p{N}\p{Pc} -]/gu, '')
    .replace(/ /g, '-');
}

/**
 * Every anchor a Markdown file offers: its ATX headings' slugs, a repeated one with -1, -2, ... as
 * github-slugger counts them, and the ids and names of HTML elements. (Setext headings are not read.)
 */
export function anchorsOf(markdown: string): Set<string> {
  const occurrences = new Map<string, number>();
  const anchors = new Set<string>();
  for (const line of outsideFences(markdown)) {
    for (const id of line.matchAll(/<[a-z]+\s[^>]*\b(?:id|name)="([^"]+)"/gi)) anchors.add(id[1] as string);
    const heading = /^ {0,3}#{1,6}\s+(.*?)(?:\s+#+)?\s*$/.exec(line);
    if (!heading) continue;
    const base = slug(heading[1] as string);
    let unique = base;
    while (occurrences.has(unique)) {
      const n = (occurrences.get(base) ?? 0) + 1;
      occurrences.set(base, n);
      unique = `${base}-${n}`;
    }
    occurrences.set(unique, 0);
    anchors.add(unique);
  }
  return anchors;
}

export interface Link {
  file: string;
  line: number;
  target: string;
}

/** The links of one file: inline links and images, and reference definitions; external ones left out. */
export function linksIn(file: string, markdown: string): Link[] {
  const links: Link[] = [];
  prose(markdown).forEach((text, i) => {
    const found = [
      ...[...text.matchAll(/\]\(\s*(<[^>]*>|[^)\s]+)/g)].map((m) => m[1] as string),
      ...[...text.matchAll(/^\s{0,3}\[[^\]]+\]:\s*(\S+)/g)].map((m) => m[1] as string),
      ...[...text.matchAll(/<(?:a|img)\s[^>]*\b(?:href|src)="([^"]+)"/gi)].map((m) => m[1] as string),
    ];
    for (const raw of found) {
      const target = raw.replace(/^<|>$/g, '');
      if (/^[a-z][a-z0-9+.-]*:/i.test(target) || target.startsWith('//')) continue;
      links.push({ file, line: i + 1, target });
    }
  });
  return links;
}

/** What is wrong with one link, or undefined when it resolves. */
export function problemWith(link: Link, root = ROOT): string | undefined {
  const where = `${link.file}:${link.line}: ${link.target}`;
  const hash = link.target.indexOf('#');
  let pathPart: string;
  let anchor: string | undefined;
  try {
    pathPart = decodeURI(hash < 0 ? link.target : link.target.slice(0, hash));
    anchor = hash < 0 ? undefined : decodeURIComponent(link.target.slice(hash + 1));
  } catch {
    return `${where}: not a valid URL`;
  }
  const path = pathPart
    ? normalize(join(pathPart.startsWith('/') ? root : dirname(join(root, link.file)), pathPart))
    : join(root, link.file);
  if (relative(root, path).startsWith('..')) return `${where}: points outside the repository`;
  if (!existsSync(path)) return `${where}: no such file or folder`;
  if (anchor === undefined) return undefined;
  if (!path.endsWith('.md') || statSync(path).isDirectory()) {
    // GitHub's line anchors in a source file (#L10, #L10-L20) are the only others it offers.
    return /^L\d+(-L\d+)?$/.test(anchor) ? undefined : `${where}: an anchor into a file that is not Markdown`;
  }
  if (!anchorsOf(readFileSync(path, 'utf8')).has(anchor))
    return `${where}: no heading in ${relative(root, path)} has the anchor #${anchor}`;
  return undefined;
}

/** Every broken link of the given files, one line each. */
export function brokenLinks(files: string[], root = ROOT): string[] {
  return files.flatMap((file) =>
    linksIn(file, readFileSync(join(root, file), 'utf8'))
      .map((link) => problemWith(link, root))
      .filter((p): p is string => p !== undefined),
  );
}
