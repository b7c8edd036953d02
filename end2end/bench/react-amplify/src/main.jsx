// The React + Amplify baseline of `cargo xtask bench` (issue 18): the pages a first visit needs
// (the feed), a post and sign-in, written as a team using Amplify would write them, against the
// same server functions and the same user pool and identity pool as the Stratus client.
import { StrictMode } from "react";
import { createRoot } from "react-dom/client";
import { BrowserRouter, Routes, Route } from "react-router";
import { Amplify } from "aws-amplify";
import "../../../../style/main.css";
import { Layout } from "./Layout.jsx";
import { Home } from "./Home.jsx";
import { Post } from "./Post.jsx";
import { SignIn } from "./SignIn.jsx";

// The deployment's settings, as the Stratus client reads them: /config.json.
const config = await (await fetch("/config.json")).json();
Amplify.configure({
  Auth: {
    Cognito: {
      userPoolId: config.userPoolId,
      userPoolClientId: config.userPoolClientId,
      identityPoolId: config.identityPoolId,
      allowGuestAccess: true,
      // The local cloud (ministack) in place of Cognito's public endpoints.
      ...(config.cognitoEndpoint && {
        userPoolEndpoint: config.cognitoEndpoint,
        identityPoolEndpoint: config.cognitoEndpoint,
      }),
    },
  },
});
window.__stratusConfig = config;

createRoot(document.getElementById("root")).render(
  <StrictMode>
    <BrowserRouter>
      <Layout>
        <Routes>
          <Route path="/" element={<Home />} />
          <Route path="/posts/:id" element={<Post />} />
          <Route path="/signin" element={<SignIn />} />
        </Routes>
      </Layout>
    </BrowserRouter>
  </StrictMode>,
);
