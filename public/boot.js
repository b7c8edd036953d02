// Loads the app. A file of its own, not an inline script: the Content-Security-Policy allows
// no inline script.
import init from "/pkg/stratus.js";
init({ module_or_path: "/pkg/stratus.wasm" });
