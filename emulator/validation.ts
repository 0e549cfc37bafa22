// Request parsing and the create body's validation, with Django REST Framework's error shapes.
import { DESCRIPTION_MAX_LENGTH, NAME_MAX_LENGTH, NAME_PATTERN } from './model.ts';

export class HttpError extends Error {
  readonly status: number;
  readonly body: unknown;

  constructor(status: number, body: unknown) {
    super(`HTTP ${status}`);
    this.status = status;
    this.body = body;
  }
}

export const notFound = (detail = 'Not found.') => new HttpError(404, { detail });
export const badRequest = (body: unknown) => new HttpError(400, body);

export interface CreateInput {
  serverId: number;
  name: string;
  description: string;
}

/** The create body as the provider accepts it, or a 400 with field errors. */
export function validateCreate(rawBody: string): CreateInput {
  const body = parseJson(rawBody);
  if (rawBody.trim() !== '' && body === undefined) {
    throw badRequest({ detail: 'JSON parse error - Expecting value: line 1 column 1 (char 0)' });
  }
  if (body === null || typeof body !== 'object' || Array.isArray(body)) {
    const got = Array.isArray(body) ? 'list' : body === undefined ? 'nothing' : typeof body;
    throw badRequest({ non_field_errors: [`Invalid data. Expected a dictionary, but got ${got}.`] });
  }
  const input = body as Record<string, unknown>;
  const errors: Record<string, string[]> = {};
  const serverId = toInteger(input.server_id);
  if (input.server_id === undefined || input.server_id === null)
    errors.server_id = ['This field is required.'];
  else if (serverId === undefined) errors.server_id = ['A valid integer is required.'];
  const nameError = checkName(input.name);
  if (nameError) errors.name = [nameError];
  const description = input.description ?? '';
  if (typeof description !== 'string') errors.description = ['Not a valid string.'];
  else if (description.length > DESCRIPTION_MAX_LENGTH) {
    errors.description = [`Ensure this field has no more than ${DESCRIPTION_MAX_LENGTH} characters.`];
  }
  if (Object.keys(errors).length > 0) throw badRequest(errors);
  return { serverId: serverId as number, name: input.name as string, description: description as string };
}

function checkName(name: unknown): string | undefined {
  if (name === undefined || name === null) return 'This field is required.';
  if (typeof name !== 'string') return 'Not a valid string.';
  if (name === '') return 'This field may not be blank.';
  if (name.length > NAME_MAX_LENGTH)
    return `Ensure this field has no more than ${NAME_MAX_LENGTH} characters.`;
  if (!NAME_PATTERN.test(name)) return 'Name may contain only letters, digits, dashes and underscores.';
  return undefined;
}

function toInteger(value: unknown): number | undefined {
  if (typeof value === 'number' && Number.isSafeInteger(value)) return value;
  if (typeof value === 'string' && /^-?\d{1,15}$/.test(value.trim())) return Number(value.trim());
  return undefined;
}

export function parseJson(text: string): unknown {
  if (text.trim() === '') return undefined;
  try {
    return JSON.parse(text);
  } catch {
    return undefined;
  }
}
