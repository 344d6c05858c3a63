// Talking to the server: JSON requests with the CSRF token in a header, and a sender that delivers saves in
// order, one at a time, retrying with exponential backoff until the server has them.

export class HttpError extends Error {
  constructor(status, data) {
    super((data && data.error) || `HTTP ${status}`);
    this.status = status;
    this.data = data || {};
  }
}

export function client(base, csrf) {
  async function request(method, path, body) {
    const options = {
      method,
      credentials: "same-origin",
      cache: "no-store",
      headers: { Accept: "application/json" },
    };
    if (body !== undefined) {
      options.headers["Content-Type"] = "application/json";
      options.headers["X-CSRFToken"] = csrf;
      options.body = JSON.stringify(body);
    }
    const response = await fetch(base + path, options);
    let data = null;
    try {
      data = await response.json();
    } catch {
      data = null;
    }
    if (!response.ok) throw new HttpError(response.status, data);
    return data;
  }
  return {
    get: (path) => request("GET", path),
    post: (path, body) => request("POST", path, body || {}),
  };
}

export function isConnectionError(error) {
  return !(error instanceof HttpError) || error.status >= 500 || error.status === 429;
}

// delay before the nth retry: 1 s, 2 s, 4 s … up to 30 s, with a little jitter.
export function backoff(attempt) {
  const base = Math.min(30000, 1000 * 2 ** Math.min(attempt, 5));
  return base * (0.8 + Math.random() * 0.4);
}
