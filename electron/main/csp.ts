/**
 * The Content-Security-Policy of the app page: our own scripts and styles only, no inline script,
 * no remote origins, no plugins, no framing. `connect-src 'self'` also covers the harness's
 * WebSocket on the same origin. Images may be data:/blob: (contact photos).
 */
export const CONTENT_SECURITY_POLICY = [
  "default-src 'none'",
  "script-src 'self'",
  "style-src 'self'",
  "img-src 'self' data: blob:",
  "font-src 'self'",
  "connect-src 'self'",
  "worker-src 'self'",
  "object-src 'none'",
  "base-uri 'none'",
  "form-action 'none'",
  "frame-ancestors 'none'",
].join('; ');
