import { useState } from "react";
import { useNavigate } from "react-router";
import { signIn } from "aws-amplify/auth";

export function SignIn() {
  const navigate = useNavigate();
  const [error, setError] = useState(null);
  const submit = async (event) => {
    event.preventDefault();
    const form = new FormData(event.currentTarget);
    try {
      const { isSignedIn, nextStep } = await signIn({
        username: form.get("email"),
        password: form.get("password"),
      });
      if (isSignedIn) navigate("/");
      else setError(`One more step: ${nextStep.signInStep}`);
    } catch (e) {
      setError(e.message);
    }
  };
  return (
    <section className="page">
      <h1>Sign in</h1>
      <form onSubmit={submit}>
        <label>Email <input name="email" type="email" required /></label>
        <label>Password <input name="password" type="password" required /></label>
        <button type="submit">Sign in</button>
        {error && <p role="alert">{error}</p>}
      </form>
    </section>
  );
}
