// ACS3-HMAC-SHA256 request signing with WebCrypto, as Alibaba Cloud documents the V3 signature:
// https://help.aliyun.com/zh/sdk/product-overview/v3-request-structure-and-signature
// The server checks it with openkms-wire's Acs3Signature (the same canonical request as the official SDKs).

const encoder = new TextEncoder();

function hex(buffer) {
  return Array.from(new Uint8Array(buffer), (b) => b.toString(16).padStart(2, '0')).join('');
}

/** Lower-case hex SHA-256 of a string (UTF-8) or bytes. */
export async function sha256Hex(data) {
  const bytes = typeof data === 'string' ? encoder.encode(data) : data;
  return hex(await crypto.subtle.digest('SHA-256', bytes));
}

async function hmacSha256Hex(secret, text) {
  const key = await crypto.subtle.importKey('raw', encoder.encode(secret), { name: 'HMAC', hash: 'SHA-256' }, false, ['sign']);
  return hex(await crypto.subtle.sign('HMAC', key, encoder.encode(text)));
}

/** RFC 3986 percent-encoding (unreserved characters kept), as the SDKs encode parameters. */
export function percentEncode(s) {
  return encodeURIComponent(s).replace(/[!'()*]/g, (c) => '%' + c.charCodeAt(0).toString(16).toUpperCase());
}

/** A form body of the parameters, sorted by name (undefined and null values are left out, as the SDKs do). */
export function formBody(params) {
  return Object.keys(params)
    .filter((k) => params[k] !== undefined && params[k] !== null)
    .sort()
    .map((k) => percentEncode(k) + '=' + percentEncode(String(params[k])))
    .join('&');
}

/** x-acs-date: ISO 8601 in UTC to the second. */
export function acsDate(date = new Date()) {
  return date.toISOString().replace(/\.\d{3}Z$/, 'Z');
}

/**
 * The canonical request of a POST to "/" with an empty query: method, path, query, the signed headers (name:value
 * lines, sorted by name), an empty line, their names joined by ';', and the hex SHA-256 of the body.
 */
export function canonicalRequest(method, path, headers, bodyHash) {
  const names = Object.keys(headers).map((n) => n.toLowerCase()).sort();
  const lower = {};
  for (const [k, v] of Object.entries(headers)) lower[k.toLowerCase()] = String(v).trim();
  const lines = names.map((n) => n + ':' + lower[n]).join('\n');
  return [method, path, '', lines + '\n', names.join(';'), bodyHash].join('\n');
}

/**
 * Signs a call: returns the headers to send (the signed ones and Authorization). The content type of a form body is
 * signed too (the server refuses a form body whose type is not, as it would decide how the body is read).
 * host is what the browser will send as Host (location.host): it cannot be set, so it is signed as it is.
 */
export async function sign({ accessKeyId, accessKeySecret, host, action, version, body, contentType, nonce, date }) {
  const bodyHash = await sha256Hex(body);
  const signed = {
    'content-type': contentType,
    host,
    'x-acs-action': action,
    'x-acs-content-sha256': bodyHash,
    'x-acs-date': date || acsDate(),
    'x-acs-signature-nonce': nonce || crypto.randomUUID(),
    'x-acs-version': version,
  };
  const canonical = canonicalRequest('POST', '/', signed, bodyHash);
  const stringToSign = 'ACS3-HMAC-SHA256\n' + (await sha256Hex(canonical));
  const signature = await hmacSha256Hex(accessKeySecret, stringToSign);
  const names = Object.keys(signed).sort().join(';');
  const headers = { ...signed };
  delete headers.host;
  headers.authorization = `ACS3-HMAC-SHA256 Credential=${accessKeyId},SignedHeaders=${names},Signature=${signature}`;
  return headers;
}
