// Browser-side calls to the console's API: one place turns an error body into a message that
// says what was wrong, so every refusal reaches the person in words.
export class ApiError extends Error {
  constructor(readonly code: string, message: string, readonly status: number) {
    super(message);
  }
}

export async function api<T>(path: string, init?: RequestInit & { json?: unknown }): Promise<T> {
  const { json, ...rest } = init ?? {};
  const res = await fetch(path, {
    ...rest,
    headers: json === undefined ? rest.headers : { "content-type": "application/json", ...rest.headers },
    body: json === undefined ? rest.body : JSON.stringify(json),
  });
  const text = await res.text();
  const body = text ? (JSON.parse(text) as unknown) : null;
  if (!res.ok) {
    const err = (body as { error?: { code?: string; message?: string } } | null)?.error;
    if (res.status === 401 && typeof window !== "undefined") window.location.href = "/login";
    throw new ApiError(err?.code ?? "error", err?.message ?? `${res.status} ${res.statusText}`, res.status);
  }
  return body as T;
}
