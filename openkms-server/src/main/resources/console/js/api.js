// The console is an ordinary API client: every call is a signed POST to "/", like an SDK's.
import { formBody, sign } from './acs3.js';

export const KMS = '2016-01-20';
export const RAM = '2015-05-01';
export const STS = '2015-04-01';
export const ACTIONTRAIL = '2020-07-06';

const STORE = 'openkms.console.credentials';

/** An error the API answered (Code, Message, RequestId), or a network failure (Code "NetworkError"). */
export class ApiError extends Error {
  constructor(code, message, requestId, status) {
    super(`${code}: ${message}`);
    this.code = code;
    this.detail = message;
    this.requestId = requestId;
    this.status = status;
  }
}

/** The signed-in AccessKey of this tab, or null. Kept in sessionStorage only (gone when the tab closes). */
export function credentials() {
  try {
    const c = JSON.parse(sessionStorage.getItem(STORE) || 'null');
    return c && c.accessKeyId && c.accessKeySecret ? c : null;
  } catch (e) {
    return null;
  }
}

export function saveCredentials(accessKeyId, accessKeySecret) {
  sessionStorage.setItem(STORE, JSON.stringify({ accessKeyId, accessKeySecret }));
}

export function forgetCredentials() {
  sessionStorage.removeItem(STORE);
}

/**
 * Calls an action; resolves to the response body, rejects with an ApiError.
 * @param {string} action   e.g. "ListKeys"
 * @param {object} params   business parameters (objects and arrays are sent as JSON text, as the KMS API takes them)
 * @param {string} version  the API version that selects the product (KMS by default)
 * @param {object} creds    other credentials than the signed-in ones (sign-in checks them before saving)
 */
export async function call(action, params = {}, version = KMS, creds = credentials()) {
  if (!creds) throw new ApiError('NotSignedIn', 'Sign in first.', '', 0);
  if (!window.crypto || !crypto.subtle) {
    throw new ApiError('InsecureContext', 'The browser offers WebCrypto only over HTTPS or on localhost: open the console over HTTPS.', '', 0);
  }
  const flat = {};
  for (const [k, v] of Object.entries(params)) {
    if (v === undefined || v === null || v === '') continue;
    flat[k] = typeof v === 'object' ? JSON.stringify(v) : String(v);
  }
  const body = formBody(flat);
  const headers = await sign({
    accessKeyId: creds.accessKeyId,
    accessKeySecret: creds.accessKeySecret,
    host: location.host,
    action,
    version,
    body,
    contentType: 'application/x-www-form-urlencoded',
  });
  headers.accept = 'application/json';
  let response;
  try {
    response = await fetch('/', { method: 'POST', headers, body, cache: 'no-store', credentials: 'omit' });
  } catch (e) {
    throw new ApiError('NetworkError', 'The server cannot be reached.', '', 0);
  }
  let json;
  try {
    json = await response.json();
  } catch (e) {
    throw new ApiError('InvalidResponse', `HTTP ${response.status} without a JSON body.`, '', response.status);
  }
  if (!response.ok || json.Code) {
    throw new ApiError(json.Code || 'HTTP' + response.status, json.Message || '', json.RequestId || '', response.status);
  }
  return json;
}

/** The items of a list response, whichever way it nests them: {Keys: {Key: [...]}} or {Keys: [...]}. */
export function items(body, outer, inner) {
  const o = body ? body[outer] : undefined;
  if (Array.isArray(o)) return o;
  if (o && Array.isArray(o[inner])) return o[inner];
  return [];
}

/** Every page of a paged KMS list (PageNumber/PageSize/TotalCount), up to a limit. */
export async function all(action, params, outer, inner, version = KMS, limit = 1000) {
  const out = [];
  for (let page = 1; out.length < limit; page++) {
    const r = await call(action, { ...params, PageNumber: page, PageSize: 100 }, version);
    const got = items(r, outer, inner);
    out.push(...got);
    if (got.length === 0 || out.length >= Number(r.TotalCount || 0)) break;
  }
  return out;
}
