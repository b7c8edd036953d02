import { useEffect, useState } from "react";
import { Link } from "react-router";
import { getCurrentUser, signOut } from "aws-amplify/auth";
import { Hub } from "aws-amplify/utils";

export function Layout({ children }) {
  const [user, setUser] = useState(null);
  useEffect(() => {
    const check = () => getCurrentUser().then(setUser, () => setUser(null));
    check();
    return Hub.listen("auth", check);
  }, []);
  return (
    <>
      <header className="site-header">
        <Link className="brand" to="/">Stratus</Link>
        <nav aria-label="Main"><Link to="/">Home</Link></nav>
        {user ? (
          <button onClick={() => signOut()}>Sign out</button>
        ) : (
          <Link to="/signin">Sign in</Link>
        )}
      </header>
      <main id="main">{children}</main>
    </>
  );
}
