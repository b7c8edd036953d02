// The reference client's SRP arithmetic (npm `amazon-cognito-identity-js`, the library Amplify's
// Auth was built on), run on fixed inputs so that `srp_reference.rs` can compare Stratus's proof
// with it. Reads one JSON case on stdin, writes {publicA, signature, timestamp} on stdout.
import { createRequire } from "node:module";
import { fileURLToPath } from "node:url";
import { readFileSync } from "node:fs";

const end2end = fileURLToPath(new URL("../../../end2end/package.json", import.meta.url));
const require = createRequire(end2end);
const AuthenticationHelper = require("amazon-cognito-identity-js/lib/AuthenticationHelper").default;
const BigInteger = require("amazon-cognito-identity-js/lib/BigInteger").default;
const DateHelper = require("amazon-cognito-identity-js/lib/DateHelper").default;
// The hash the library itself uses, resolved from the library.
const { Sha256 } = createRequire(require.resolve("amazon-cognito-identity-js"))("@aws-crypto/sha256-js");

const input = JSON.parse(readFileSync(0, "utf8"));
const poolName = input.poolId.split("_")[1];

const helper = new AuthenticationHelper(poolName);
helper.smallAValue = new BigInteger(input.aHex, 16);
helper.largeAValue = undefined;
const publicA = await new Promise((resolve, reject) =>
  helper.getLargeAValue((error, value) => (error ? reject(error) : resolve(value))),
);

// The timestamp as the library writes it, at the case's instant.
const RealDate = Date;
globalThis.Date = class extends RealDate {
  constructor(...args) {
    super(...(args.length ? args : [input.unixSeconds * 1000]));
  }
};
const timestamp = new DateHelper().getNowString();
globalThis.Date = RealDate;

// What CognitoUser.authenticateUserDefaultAuth does with the challenge.
const key = await new Promise((resolve, reject) =>
  helper.getPasswordAuthenticationKey(
    input.userId,
    input.password,
    new BigInteger(input.serverBHex, 16),
    new BigInteger(input.saltHex, 16),
    (error, value) => (error ? reject(error) : resolve(value)),
  ),
);
const mac = new Sha256(key);
mac.update(
  Buffer.concat([
    Buffer.from(poolName, "utf8"),
    Buffer.from(input.userId, "utf8"),
    Buffer.from(input.secretBlock, "base64"),
    Buffer.from(timestamp, "utf8"),
  ]),
);
const signature = Buffer.from(mac.digestSync()).toString("base64");
process.stdout.write(JSON.stringify({ publicA: publicA.toString(16), signature, timestamp }));
