import { useEffect, useState } from "react";
import { Link } from "react-router";
import { callServer } from "./api.js";

export function Home() {
  const [page, setPage] = useState(null);
  const [error, setError] = useState(null);
  useEffect(() => {
    callServer("recent_posts", { nextToken: null }).then(setPage, (e) => setError(e.message));
  }, []);
  return (
    <section className="page feed">
      <h1>Recent posts</h1>
      <p className="lede">What people are writing on Stratus, newest first.</p>
      {error && <p role="alert">{error}</p>}
      {page && page.cards.length === 0 && <p className="empty">No posts yet.</p>}
      {page?.cards.map(({ post, author, commentCount, excerpt }) => (
        <article className="post-card" key={post.id}>
          <h2><Link to={`/posts/${post.id}`}>{post.title}</Link></h2>
          <p className="meta">{author} · {new Date(post.createdAt).toLocaleDateString()} · {commentCount} comments</p>
          <p>{excerpt}</p>
        </article>
      ))}
    </section>
  );
}
