import { useEffect, useState } from "react";
import { useParams } from "react-router";
import Markdown from "react-markdown";
import { callServer } from "./api.js";

// The same calls as Stratus's post page: the post, its comments, their authors' names.
async function readPost(id) {
  const [view, comments] = await Promise.all([
    callServer("read_post", { id }),
    callServer("postComments", { id, limit: 500 }),
  ]);
  const owners = [...new Set(comments.items.map((c) => c.owner).filter(Boolean))];
  const names = owners.length ? await callServer("author_names", { user_ids: owners }) : {};
  return { card: view.card, comments: comments.items, names };
}

export function Post() {
  const { id } = useParams();
  const [view, setView] = useState(null);
  const [error, setError] = useState(null);
  useEffect(() => {
    readPost(id).then(setView, (e) => setError(e.message));
  }, [id]);
  if (error) return <p role="alert">{error}</p>;
  if (!view) return <p>Loading…</p>;
  const { card, comments, names } = view;
  return (
    <article className="page post">
      <h1>{card.post.title}</h1>
      <p className="meta">{card.author}</p>
      <div className="markdown"><Markdown>{card.post.body}</Markdown></div>
      <section>
        <h2>Comments</h2>
        {comments.map((comment) => (
          <p key={comment.id}><strong>{names[comment.owner]}</strong> {comment.content}</p>
        ))}
      </section>
    </article>
  );
}
