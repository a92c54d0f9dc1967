// Failed sign-ins are counted in Redis per account-and-address and per address; past a limit the
// answer is 429 with how long to wait, whether or not the password was right. Counting the account
// together with the address keeps an attacker elsewhere from locking a real admin out. Without a
// trusted client address (no proxy we trust), the account alone is counted: safer than trusting a
// header the client writes itself.
import { AppError } from "@/lib/errors";
import { getConfig } from "@/lib/config";
import { getSharedRedis } from "@/lib/queue/connection";

export const SIGN_IN_LIMIT = { failures: 10, addressFailures: 50, windowSeconds: 15 * 60 };

function keys(email: string, address: string | null): { key: string; limit: number; what: string }[] {
  const prefix = `${getConfig().queuePrefix}:sign-in`;
  const account = `${prefix}:account:${email.trim().toLowerCase()}`;
  if (address === null) return [{ key: account, limit: SIGN_IN_LIMIT.failures, what: "for this account" }];
  return [
    { key: `${account}:${address}`, limit: SIGN_IN_LIMIT.failures, what: "for this account from this address" },
    { key: `${prefix}:address:${address}`, limit: SIGN_IN_LIMIT.addressFailures, what: "from this address" },
  ];
}

export async function checkSignInAllowed(email: string, address: string | null): Promise<void> {
  const redis = getSharedRedis("producer");
  for (const { key, limit, what } of keys(email, address)) {
    const count = Number((await redis.get(key)) ?? 0);
    if (count >= limit) {
      const ttl = await redis.ttl(key);
      throw new AppError("rate-limited", `Too many failed sign-ins ${what}: try again in ${Math.max(1, Math.ceil(ttl / 60))} minute(s).`);
    }
  }
}

export async function recordSignInFailure(email: string, address: string | null): Promise<void> {
  const redis = getSharedRedis("producer");
  for (const { key } of keys(email, address)) {
    const n = await redis.incr(key);
    if (n === 1) await redis.expire(key, SIGN_IN_LIMIT.windowSeconds);
  }
}

export async function clearSignInFailures(email: string, address: string | null): Promise<void> {
  await getSharedRedis("producer").del(keys(email, address)[0]!.key);
}
