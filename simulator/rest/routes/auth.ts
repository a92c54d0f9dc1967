// POST /api/v1/auth/tokens/: password and refresh-token grants, as the console logs in.
import crypto from "node:crypto";
import { errorReply, readJsonBody, optionalString } from "../http-io";
import type { Route } from "../router";
import { issueJwt, TOKEN_SECONDS } from "../tokens";

export const authRoutes: Route[] = [
  {
    method: "POST",
    pattern: "/api/v1/auth/tokens",
    public: true,
    async handler({ node, req, refreshTokens }) {
      const body = await readJsonBody(req);
      const grant = optionalString(body, "grant_type") ?? "password";
      let username: string | undefined;
      if (grant === "password") {
        const user = node.config.restUsers.find((u) => u.username === optionalString(body, "username"));
        if (!user || user.password !== optionalString(body, "password")) return errorReply(401, "Invalid user credentials");
        username = user.username;
      } else if (grant === "refresh_token") {
        username = refreshTokens.get(optionalString(body, "refresh_token") ?? "");
        if (!username) return errorReply(401, "Invalid refresh token");
      } else {
        return errorReply(400, `unsupported grant_type ${grant}`);
      }
      const refresh = crypto.randomBytes(24).toString("base64url");
      refreshTokens.set(refresh, username);
      return {
        status: 200,
        json: { jwt: issueJwt(node.state.jwtSecret, username), duration: TOKEN_SECONDS, token_type: "Bearer", client_id: "", refresh_token: refresh },
      };
    },
  },
];
