import { describe, expect, it } from "vitest";
import { issueJwt, TOKEN_SECONDS, verifyJwt } from "./tokens";

describe("bearer tokens", () => {
  const now = Date.UTC(2025, 0, 1);

  it("names the user until it expires", () => {
    const jwt = issueJwt("secret", "admin", now);
    expect(jwt.split(".")).toHaveLength(3);
    expect(verifyJwt("secret", jwt, now + 1000)).toBe("admin");
    expect(verifyJwt("secret", jwt, now + TOKEN_SECONDS * 1000 + 1)).toBeNull();
  });

  it("refuses another appliance's token and a tampered one", () => {
    const jwt = issueJwt("secret", "admin", now);
    expect(verifyJwt("other", jwt, now)).toBeNull();
    const [h, , s] = jwt.split(".");
    const forged = Buffer.from(JSON.stringify({ sub: "root", exp: now / 1000 + 999 })).toString("base64url");
    expect(verifyJwt("secret", `${h}.${forged}.${s}`, now)).toBeNull();
    expect(verifyJwt("secret", "not-a-token", now)).toBeNull();
  });
});
