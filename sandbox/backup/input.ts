import { invalidValue, missingValue } from './errors';

/**
 * Readers for request members: each one checks the wire type and names the field in its error, so
 * a bad request is rejected before any state is touched.
 */
export type Json = Record<string, unknown>;

export function parseBody(body: Buffer): Json {
  const text = body.toString('utf8').trim();
  if (text === '') return {};
  let parsed: unknown;
  try {
    parsed = JSON.parse(text);
  } catch (e) {
    throw invalidValue(`Request body is not valid JSON: ${(e as Error).message}`);
  }
  if (parsed === null || typeof parsed !== 'object' || Array.isArray(parsed)) {
    throw invalidValue('Request body must be a JSON object');
  }
  return parsed as Json;
}

export function optString(obj: Json, field: string, path = field): string | undefined {
  const v = obj[field];
  if (v === undefined || v === null) return undefined;
  if (typeof v !== 'string') throw invalidValue(`Invalid value for ${path}: expected a string, got ${JSON.stringify(v)}`);
  return v;
}

export function reqString(obj: Json, field: string, path = field): string {
  const v = optString(obj, field, path);
  if (v === undefined || v === '') throw missingValue(path);
  return v;
}

export function optInt(obj: Json, field: string, path = field, min = 0): number | undefined {
  const v = obj[field];
  if (v === undefined || v === null) return undefined;
  if (typeof v !== 'number' || !Number.isInteger(v)) {
    throw invalidValue(`Invalid value for ${path}: expected an integer, got ${JSON.stringify(v)}`);
  }
  if (v < min) throw invalidValue(`Invalid value for ${path}: ${v} is less than the minimum ${min}`);
  return v;
}

export function optBool(obj: Json, field: string, path = field): boolean | undefined {
  const v = obj[field];
  if (v === undefined || v === null) return undefined;
  if (typeof v !== 'boolean') throw invalidValue(`Invalid value for ${path}: expected a boolean, got ${JSON.stringify(v)}`);
  return v;
}

export function optObject(obj: Json, field: string, path = field): Json | undefined {
  const v = obj[field];
  if (v === undefined || v === null) return undefined;
  if (typeof v !== 'object' || Array.isArray(v)) throw invalidValue(`Invalid value for ${path}: expected an object`);
  return v as Json;
}

export function optStringMap(obj: Json, field: string, path = field): Record<string, string> | undefined {
  const m = optObject(obj, field, path);
  if (m === undefined) return undefined;
  for (const [k, v] of Object.entries(m)) {
    if (typeof v !== 'string') throw invalidValue(`Invalid value for ${path}.${k}: expected a string, got ${JSON.stringify(v)}`);
  }
  return { ...(m as Record<string, string>) };
}

export function optBoolMap(obj: Json, field: string, path = field): Record<string, boolean> | undefined {
  const m = optObject(obj, field, path);
  if (m === undefined) return undefined;
  for (const [k, v] of Object.entries(m)) {
    if (typeof v !== 'boolean') throw invalidValue(`Invalid value for ${path}.${k}: expected a boolean, got ${JSON.stringify(v)}`);
  }
  return { ...(m as Record<string, boolean>) };
}

export function optArray(obj: Json, field: string, path = field): unknown[] | undefined {
  const v = obj[field];
  if (v === undefined || v === null) return undefined;
  if (!Array.isArray(v)) throw invalidValue(`Invalid value for ${path}: expected a list`);
  return v;
}

export function optStringList(obj: Json, field: string, path = field): string[] | undefined {
  const list = optArray(obj, field, path);
  if (list === undefined) return undefined;
  list.forEach((v, i) => {
    if (typeof v !== 'string') throw invalidValue(`Invalid value for ${path}[${i}]: expected a string, got ${JSON.stringify(v)}`);
  });
  return [...(list as string[])];
}

export function objectList(list: unknown[], path: string): Json[] {
  return list.map((v, i) => {
    if (v === null || typeof v !== 'object' || Array.isArray(v)) throw invalidValue(`Invalid value for ${path}[${i}]: expected an object`);
    return v as Json;
  });
}

/** Query timestamps arrive as ISO 8601 date-time (SDK v3, Go SDK); epoch seconds are accepted too. */
export function queryDate(q: URLSearchParams, name: string): number | undefined {
  const raw = q.get(name);
  if (raw === null || raw === '') return undefined;
  const asNumber = Number(raw);
  const ms = Number.isFinite(asNumber) ? asNumber * 1000 : Date.parse(raw);
  if (!Number.isFinite(ms)) throw invalidValue(`Invalid value for ${name}: ${JSON.stringify(raw)} is not a timestamp`);
  return ms;
}

export function queryBool(q: URLSearchParams, name: string): boolean | undefined {
  const raw = q.get(name);
  if (raw === null || raw === '') return undefined;
  if (raw !== 'true' && raw !== 'false') throw invalidValue(`Invalid value for ${name}: ${JSON.stringify(raw)} is not true or false`);
  return raw === 'true';
}
