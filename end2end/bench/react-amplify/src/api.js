// Calls a server function as the Stratus client does: POST /api/<name> with a JSON body, signed
// (SigV4, service `lambda`, as a Function URL with AWS_IAM auth expects) with the identity
// pool's temporary credentials, guests' included; a signed-in caller's ID token rides along.
import { fetchAuthSession } from "aws-amplify/auth";
import { signRequest } from "@aws-amplify/core/internals/aws-client-utils";

export async function callServer(name, args) {
  const { credentials, tokens } = await fetchAuthSession();
  const config = window.__stratusConfig;
  const url = new URL(`/api/${name}`, config.apiUrl ?? window.location.origin);
  const body = JSON.stringify(args);
  const headers = { host: url.host, "content-type": "application/json" };
  if (tokens?.idToken) headers["x-stratus-id-token"] = tokens.idToken.toString();
  const signed = signRequest(
    { url, method: "POST", headers, body },
    { credentials, signingRegion: config.region, signingService: "lambda" },
  );
  delete signed.headers.host;
  const response = await fetch(url, { method: "POST", headers: signed.headers, body });
  const text = await response.text();
  if (!response.ok) throw new Error(text || response.statusText);
  return JSON.parse(text);
}
