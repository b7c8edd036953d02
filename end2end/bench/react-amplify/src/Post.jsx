import { useEffect, useState } from "react";
import { useParams } from "react-router";
import Markdown from "react-markdown";
import { callServer } from "./api.js";

export function Post() {
  const { id } = useParams();
  const [view, setView] = useState(null);
  const [error, setError] = useState(null);
  useEffect(() => {
    callServer("read_post", { id }).then(setView, (e) => setError(e.message));
  }, [id]);
  if (error) return <p role="alert">{error}</p>;
  if (!view) return <p>Loading…</p>;
  const { card, comments } = view;
  return (
    <article className="page post">
      <h1>{card.post.title}</h1>
      <p className="meta">{card.author}</p>
      <div className="markdown"><Markdown>{card.post.body}</Markdown></div>
      <section>
        <h2>Comments</h2>
        {comments.map(({ comment, author }) => (
          <p key={comment.id}><strong>{author}</strong> {comment.content}</p>
        ))}
      </section>
    </article>
  );
}
