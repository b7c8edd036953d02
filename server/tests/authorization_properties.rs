//! A property test of authorization: random sequences of operations by three users, an admin
//! and a guest, against the data layer and the real DynamoDB Local, checked against a model of
//! the blog's rules written here independently of `@auth`. After every step:
//! - an operation the rules allow succeeded, and one they do not was refused (401/403), with
//!   nothing written;
//! - no item changed owner;
//! - nothing the caller may not read came back (drafts, other people's profile emails);
//! - no comment outlives its post, no post its blog.
//!
//! The seed is printed with every failure; `STRATUS_AUTH_SEED=<n>` replays one.

mod common;

use std::collections::{BTreeMap, BTreeSet};

use app::models::{BLOG_SPEC, COMMENT_SPEC, POST_SPEC, PROFILE_SPEC, TAG_SPEC};
use rand::rngs::StdRng;
use rand::{Rng, SeedableRng};
use serde_json::{json, Value};
use stratus::data::auth::Caller;
use stratus::error::AppError;
use stratus::store::{ListRequest, Store};
use stratus_server::store::DynamoStore;

const STEPS: usize = 250;

#[derive(Clone)]
struct Actor {
    caller: Caller,
    admin: bool,
}

impl Actor {
    fn sub(&self) -> Option<&str> {
        self.caller.user_id()
    }
}

#[derive(Default)]
struct World {
    blogs: BTreeMap<String, String>,
    /// id -> (owner, blog, published)
    posts: BTreeMap<String, (String, String, bool)>,
    /// id -> (owner, post)
    comments: BTreeMap<String, (String, String)>,
    tags: Vec<String>,
    links: BTreeSet<(String, String)>,
    profiles: BTreeSet<String>,
    deleted_posts: Vec<String>,
}

impl World {
    fn may_read_post(&self, actor: &Actor, post: &str) -> bool {
        let (owner, _, published) = &self.posts[post];
        *published || actor.admin || actor.sub() == Some(owner)
    }
}

fn refused(result: &Result<Value, AppError>) -> bool {
    matches!(
        result,
        Err(AppError::Forbidden { .. } | AppError::Unauthorized { .. })
    )
}

fn pick<I: IntoIterator>(rng: &mut StdRng, items: I) -> Option<I::Item> {
    let mut items: Vec<I::Item> = items.into_iter().collect();
    (!items.is_empty()).then(|| items.swap_remove(rng.random_range(0..items.len())))
}

#[tokio::test]
async fn random_operations_by_three_users_an_admin_and_a_guest_keep_the_invariants() {
    let _ = common::app().await; // a clear failure when the stack is down
    let settings = common::settings();
    let client = stratus_server::aws::dynamodb(
        &stratus_server::aws::sdk_config(&settings.aws).await,
        &settings.aws,
    );
    let store = DynamoStore::new(client, settings.data.clone());
    let seed: u64 = std::env::var("STRATUS_AUTH_SEED")
        .ok()
        .and_then(|s| s.parse().ok())
        .unwrap_or_else(rand::random);
    let mut rng = StdRng::seed_from_u64(seed);
    let run = common::unique("prop").replace(' ', "-");
    let user = |name: &str, admin: bool| Actor {
        caller: Caller::User {
            sub: format!("{run}-{name}"),
            username: name.into(),
            groups: if admin {
                vec!["admins".into()]
            } else {
                Vec::new()
            },
        },
        admin,
    };
    let actors = [
        user("ada", false),
        user("bob", false),
        user("cyd", false),
        user("dee", true),
        Actor {
            caller: Caller::Guest,
            admin: false,
        },
    ];
    let admin = actors[3].clone();
    let mut world = World::default();

    for step in 0..STEPS {
        let actor = actors[rng.random_range(0..actors.len())].clone();
        let me = actor.sub().map(str::to_owned);
        let context = format!("seed {seed}, step {step}, {:?}", actor.caller);
        match rng.random_range(0..12) {
            0 => {
                let result = store
                    .create_item(
                        &actor.caller,
                        &BLOG_SPEC,
                        json!({ "name": format!("{run} blog") }),
                    )
                    .await;
                match &me {
                    Some(me) => {
                        let blog = result.unwrap_or_else(|e| panic!("{context}: createBlog: {e}"));
                        assert_eq!(blog["owner"], json!(me), "{context}");
                        world
                            .blogs
                            .insert(blog["id"].as_str().unwrap().into(), me.clone());
                    }
                    None => assert!(refused(&result), "{context}: a guest created a blog"),
                }
            }
            1 => {
                let Some((blog, blog_owner)) =
                    pick(&mut rng, &world.blogs).map(|(b, o)| (b.clone(), o.clone()))
                else {
                    continue;
                };
                let published = rng.random_bool(0.5);
                let status = if published { "PUBLISHED" } else { "DRAFT" };
                let input = json!({ "blogId": blog, "title": "t", "body": "b", "status": status });
                let result = store.create_item(&actor.caller, &POST_SPEC, input).await;
                if me.as_deref() == Some(blog_owner.as_str()) {
                    let post = result.unwrap_or_else(|e| panic!("{context}: createPost: {e}"));
                    world.posts.insert(
                        post["id"].as_str().unwrap().into(),
                        (blog_owner, blog, published),
                    );
                } else {
                    assert!(
                        refused(&result),
                        "{context}: a post went into someone else's blog: {result:?}"
                    );
                }
            }
            2 => {
                let Some(post) = pick(&mut rng, world.posts.keys()).cloned() else {
                    continue;
                };
                let target_blog = pick(&mut rng, world.blogs.keys())
                    .cloned()
                    .filter(|_| rng.random_bool(0.3));
                let (owner, _, _) = world.posts[&post].clone();
                let version = store
                    .get_item(&admin.caller, &POST_SPEC, json!({ "id": post }), &[])
                    .await
                    .unwrap()
                    .unwrap()["_version"]
                    .clone();
                let mut input =
                    json!({ "id": post, "title": format!("edited {step}"), "_version": version });
                if let Some(blog) = &target_blog {
                    input["blogId"] = json!(blog);
                }
                let result = store.update_item(&actor.caller, &POST_SPEC, input).await;
                let may = me.as_deref() == Some(owner.as_str())
                    && target_blog.as_ref().is_none_or(|b| world.blogs[b] == owner);
                if may {
                    result.unwrap_or_else(|e| panic!("{context}: updatePost: {e}"));
                    if let Some(blog) = target_blog {
                        world.posts.get_mut(&post).unwrap().1 = blog;
                    }
                } else {
                    assert!(
                        refused(&result),
                        "{context}: updatePost allowed: {result:?}"
                    );
                    let stored = store
                        .get_item(&admin.caller, &POST_SPEC, json!({ "id": post }), &[])
                        .await
                        .unwrap()
                        .unwrap();
                    assert_ne!(
                        stored["title"],
                        json!(format!("edited {step}")),
                        "{context}: a refused update was written"
                    );
                }
            }
            3 => {
                let Some(post) = pick(&mut rng, world.posts.keys()).cloned() else {
                    continue;
                };
                let result = store
                    .delete_item(&actor.caller, &POST_SPEC, json!({ "id": post }), None)
                    .await;
                if actor.admin || me.as_deref() == Some(world.posts[&post].0.as_str()) {
                    result.unwrap_or_else(|e| panic!("{context}: deletePost: {e}"));
                    world.posts.remove(&post);
                    world.deleted_posts.push(post.clone());
                    world.comments.retain(|_, (_, p)| *p != post);
                    world.links.retain(|(p, _)| *p != post);
                } else {
                    assert!(
                        refused(&result),
                        "{context}: deletePost allowed: {result:?}"
                    );
                }
            }
            4 => {
                let Some(post) = pick(&mut rng, world.posts.keys()).cloned() else {
                    continue;
                };
                let result = store
                    .create_item(
                        &actor.caller,
                        &COMMENT_SPEC,
                        json!({ "content": "c", "postCommentsId": post }),
                    )
                    .await;
                match &me {
                    Some(me) if world.may_read_post(&actor, &post) => {
                        let comment =
                            result.unwrap_or_else(|e| panic!("{context}: createComment: {e}"));
                        world
                            .comments
                            .insert(comment["id"].as_str().unwrap().into(), (me.clone(), post));
                    }
                    _ => assert!(
                        refused(&result),
                        "{context}: a comment on an unreadable post: {result:?}"
                    ),
                }
            }
            5 => {
                let Some((comment, (owner, post))) =
                    pick(&mut rng, &world.comments).map(|(c, v)| (c.clone(), v.clone()))
                else {
                    continue;
                };
                let result = store
                    .delete_item(&actor.caller, &COMMENT_SPEC, json!({ "id": comment }), None)
                    .await;
                let post_owner = &world.posts[&post].0;
                if actor.admin
                    || me.as_deref() == Some(owner.as_str())
                    || me.as_deref() == Some(post_owner.as_str())
                {
                    result.unwrap_or_else(|e| panic!("{context}: deleteComment: {e}"));
                    world.comments.remove(&comment);
                } else {
                    assert!(
                        refused(&result),
                        "{context}: deleteComment allowed: {result:?}"
                    );
                }
            }
            6 => {
                let linked: Vec<String> = world
                    .posts
                    .keys()
                    .filter(|_| rng.random_bool(0.2))
                    .take(3)
                    .cloned()
                    .collect();
                let result = store
                    .create_item(
                        &actor.caller,
                        &TAG_SPEC,
                        json!({ "label": format!("{run}-{step}"), "linkPosts": linked }),
                    )
                    .await;
                let may = me.is_some()
                    && linked
                        .iter()
                        .all(|p| me.as_deref() == Some(world.posts[p].0.as_str()));
                if may {
                    let tag = result.unwrap_or_else(|e| panic!("{context}: createTag: {e}"));
                    let tag = tag["id"].as_str().unwrap().to_owned();
                    world
                        .links
                        .extend(linked.into_iter().map(|p| (p, tag.clone())));
                    world.tags.push(tag);
                } else {
                    assert!(
                        refused(&result),
                        "{context}: createTag linked someone else's post: {result:?}"
                    );
                }
            }
            7 => {
                let (Some(post), Some(tag)) = (
                    pick(&mut rng, world.posts.keys()).cloned(),
                    pick(&mut rng, &world.tags).cloned(),
                ) else {
                    continue;
                };
                let linked = world.links.contains(&(post.clone(), tag.clone()));
                let (post_id, tag_id) = (json!(post), json!(tag));
                let result = if linked {
                    store
                        .unlink_items(&actor.caller, &POST_SPEC, "tags", post_id, tag_id)
                        .await
                } else {
                    store
                        .link_items(&actor.caller, &POST_SPEC, "tags", post_id, tag_id)
                        .await
                };
                let result = result.map(|()| Value::Null);
                if me.as_deref() == Some(world.posts[&post].0.as_str()) {
                    result.unwrap_or_else(|e| panic!("{context}: link/unlink: {e}"));
                    if linked {
                        world.links.remove(&(post, tag));
                    } else {
                        world.links.insert((post, tag));
                    }
                } else {
                    assert!(
                        refused(&result),
                        "{context}: link/unlink of someone else's post: {result:?}"
                    );
                }
            }
            8 => {
                let Some((blog, owner)) =
                    pick(&mut rng, &world.blogs).map(|(b, o)| (b.clone(), o.clone()))
                else {
                    continue;
                };
                let result = store
                    .delete_item(&actor.caller, &BLOG_SPEC, json!({ "id": blog }), None)
                    .await;
                if actor.admin || me.as_deref() == Some(owner.as_str()) {
                    result.unwrap_or_else(|e| panic!("{context}: deleteBlog: {e}"));
                    world.blogs.remove(&blog);
                    let gone: Vec<String> = world
                        .posts
                        .iter()
                        .filter(|(_, (_, b, _))| *b == blog)
                        .map(|(p, _)| p.clone())
                        .collect();
                    for post in gone {
                        world.posts.remove(&post);
                        world.deleted_posts.push(post.clone());
                        world.comments.retain(|_, (_, p)| *p != post);
                        world.links.retain(|(p, _)| *p != post);
                    }
                } else {
                    assert!(
                        refused(&result),
                        "{context}: deleteBlog allowed: {result:?}"
                    );
                }
            }
            9 => {
                let Some(me) = &me else { continue };
                if world.profiles.contains(me) {
                    continue;
                }
                // Sometimes the caller tries to write someone else's profile.
                let victim = actors
                    .iter()
                    .filter_map(Actor::sub)
                    .find(|s| *s != me)
                    .unwrap()
                    .to_owned();
                let forged = rng.random_bool(0.5);
                let user_id = if forged { victim } else { me.clone() };
                let input = json!({ "userId": user_id, "displayName": "me", "email": format!("{me}@example.com") });
                let result = store.create_item(&actor.caller, &PROFILE_SPEC, input).await;
                if forged {
                    assert!(
                        refused(&result),
                        "{context}: a profile for someone else: {result:?}"
                    );
                } else {
                    result.unwrap_or_else(|e| panic!("{context}: createProfile: {e}"));
                    world.profiles.insert(me.clone());
                }
            }
            10 => {
                // Reads: every post of the run's blogs the caller lists is one they may read, and
                // every one they may read is listed.
                let filter = json!({ "title": { "beginsWith": "" } });
                for blog in world.blogs.keys() {
                    let request = ListRequest {
                        index: Some("byBlog"),
                        partition: Some(json!(blog)),
                        filter: Some(filter.clone()),
                        limit: Some(1000),
                        ..ListRequest::default()
                    };
                    let page = store
                        .list_items(&actor.caller, &POST_SPEC, request)
                        .await
                        .unwrap_or_else(|e| panic!("{context}: postsByBlog: {e}"));
                    let listed: BTreeSet<&str> = page
                        .items
                        .iter()
                        .map(|p| p["id"].as_str().unwrap())
                        .collect();
                    let expected: BTreeSet<&str> = world
                        .posts
                        .iter()
                        .filter(|(p, (_, b, _))| b == blog && world.may_read_post(&actor, p))
                        .map(|(p, _)| p.as_str())
                        .collect();
                    assert_eq!(listed, expected, "{context}: postsByBlog");
                }
            }
            _ => {
                for user_id in &world.profiles {
                    let profile = store
                        .get_item(
                            &actor.caller,
                            &PROFILE_SPEC,
                            json!({ "userId": user_id }),
                            &[],
                        )
                        .await
                        .unwrap()
                        .unwrap();
                    assert_eq!(
                        profile.get("email").is_some(),
                        me.as_deref() == Some(user_id.as_str()),
                        "{context}: emails are their owner's"
                    );
                }
                for (post, (_, _, _)) in &world.posts {
                    let found = store
                        .get_item(&actor.caller, &POST_SPEC, json!({ "id": post }), &[])
                        .await
                        .unwrap();
                    assert_eq!(
                        found.is_some(),
                        world.may_read_post(&actor, post),
                        "{context}: getPost {post}"
                    );
                }
            }
        }
        check_invariants(&store, &admin.caller, &world, &context).await;
    }
}

/// As an admin (who may read every post and comment): owners unchanged, nothing orphaned.
async fn check_invariants(store: &DynamoStore, admin: &Caller, world: &World, context: &str) {
    for (post, (owner, blog, _)) in &world.posts {
        let stored = store
            .get_item(admin, &POST_SPEC, json!({ "id": post }), &[])
            .await
            .unwrap();
        let stored = stored.unwrap_or_else(|| panic!("{context}: post {post} is gone"));
        assert_eq!(
            (stored["owner"].as_str(), stored["blogId"].as_str()),
            (Some(owner.as_str()), Some(blog.as_str())),
            "{context}: post {post}"
        );
        let request = ListRequest {
            index: Some("gsi-Post.comments"),
            partition: Some(json!(post)),
            limit: Some(1000),
            ..ListRequest::default()
        };
        let comments = store
            .list_items(admin, &COMMENT_SPEC, request)
            .await
            .unwrap();
        let stored: BTreeSet<&str> = comments
            .items
            .iter()
            .map(|c| c["id"].as_str().unwrap())
            .collect();
        let expected: BTreeSet<&str> = world
            .comments
            .iter()
            .filter(|(_, (_, p))| p == post)
            .map(|(c, _)| c.as_str())
            .collect();
        assert_eq!(stored, expected, "{context}: comments of {post}");
    }
    for post in &world.deleted_posts {
        let request = ListRequest {
            index: Some("gsi-Post.comments"),
            partition: Some(json!(post)),
            limit: Some(1000),
            ..ListRequest::default()
        };
        let orphans = store
            .list_items(admin, &COMMENT_SPEC, request)
            .await
            .unwrap();
        assert_eq!(
            orphans.items,
            Vec::<Value>::new(),
            "{context}: comments outlived post {post}"
        );
    }
    for comment in world.comments.keys() {
        let stored = store
            .get_item(admin, &COMMENT_SPEC, json!({ "id": comment }), &[])
            .await
            .unwrap();
        assert_eq!(
            stored.map(|c| c["owner"].clone()),
            Some(json!(world.comments[comment].0)),
            "{context}: comment {comment}"
        );
    }
    for (blog, owner) in &world.blogs {
        let stored = store
            .get_item(admin, &BLOG_SPEC, json!({ "id": blog }), &[])
            .await
            .unwrap();
        assert_eq!(
            stored.map(|b| b["owner"].clone()),
            Some(json!(owner)),
            "{context}: blog {blog}"
        );
    }
}
