// What a refused operation tells its caller: an HTTP status the REST route answers with (and
// ksctl relays), and the appliance's words. Core and cluster code return these; routes map them.

export interface Refusal {
  ok: false;
  status: 400 | 404 | 409 | 500 | 503;
  message: string;
}

export type Outcome<T extends object = object> = ({ ok: true } & T) | Refusal;

export function refuse(status: Refusal["status"], message: string): Refusal {
  return { ok: false, status, message };
}
