// The local stack's OpenID Connect provider (npm `oidc-provider`), started by `cargo xtask`
// when Leptos.toml declares identity providers: local provisioning points each of them at this
// one, so "Continue with Google" goes through the user pool's hosted endpoints and a real
// authorization code flow without leaving the laptop. Its sign-in page takes any email and any
// password; the email becomes the account.
//
// Settings come from xtask: PORT, CLIENT_ID, CLIENT_SECRET, REDIRECT_URIS (comma-separated:
// the user pool's /oauth2/idpresponse), OIDC_PROVIDER (the package's entry file).

import { pathToFileURL } from "node:url";

const { default: Provider } = await import(pathToFileURL(process.env.OIDC_PROVIDER).href);

const port = Number(process.env.PORT);
const issuer = `http://127.0.0.1:${port}`;

const provider = new Provider(issuer, {
  clients: [
    {
      client_id: process.env.CLIENT_ID,
      client_secret: process.env.CLIENT_SECRET,
      redirect_uris: process.env.REDIRECT_URIS.split(","),
      response_types: ["code"],
      grant_types: ["authorization_code"],
      // How the user pool authenticates at the token endpoint.
      token_endpoint_auth_method: "client_secret_post",
    },
  ],
  claims: {
    openid: ["sub"],
    email: ["email", "email_verified"],
    profile: ["name"],
  },
  async findAccount(_ctx, id) {
    const email = id.includes("@") ? id : `${id}@local.test`;
    return {
      accountId: id,
      async claims() {
        return { sub: id, email, email_verified: true, name: email.split("@")[0] };
      },
    };
  },
  // The user pool is the only client, and a first-party one: no consent screen.
  async loadExistingGrant(ctx) {
    const existing =
      ctx.oidc.result?.consent?.grantId || ctx.oidc.session.grantIdFor(ctx.oidc.client.clientId);
    if (existing) {
      return ctx.oidc.provider.Grant.find(existing);
    }
    const grant = new ctx.oidc.provider.Grant({
      clientId: ctx.oidc.client.clientId,
      accountId: ctx.oidc.session.accountId,
    });
    grant.addOIDCScope("openid email profile");
    grant.addOIDCClaims(["email", "email_verified", "name"]);
    await grant.save();
    return grant;
  },
  // The user pool does not send PKCE to the providers it federates (the browser's PKCE is
  // between the browser and the user pool).
  pkce: { required: () => false },
  // Known to xtask's health check: this port is this provider, not another program.
  discovery: { service_documentation: "stratus-local-identity-provider" },
  cookies: { keys: ["local-only-not-a-secret"] },
  features: { devInteractions: { enabled: true } },
});

provider.listen(port, "127.0.0.1", () => {
  console.log(`local identity provider: ${issuer}`);
});
