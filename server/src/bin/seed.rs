//! `seed`: gives an empty local stack a demo writer, blogs, tagged posts and comments, so the
//! app is alive on first run. Run by `cargo xtask dev` after provisioning; does nothing when
//! posts exist. Everything goes through the server functions, signed as the browser signs, so
//! seeding obeys the same rules as people do.

use axum::body::to_bytes;
use axum::Router;
use serde_json::{json, Value};
use tower::ServiceExt;

use stratus_ops::api_client::{register_confirmed, ApiClient};
use stratus_server::configuration::Settings;
use stratus_server::startup::{router, AppState};

const DEMO_EMAIL: &str = "demo@stratus.local";
const READER_EMAIL: &str = "reader@stratus.local";
const PASSWORD: &str = "Stratus-demo-1";

struct Draft {
    blog: usize,
    title: &'static str,
    tags: &'static str,
    body: &'static str,
}

const POSTS: &[Draft] = &[
    Draft {
        blog: 0,
        title: "Why we run the whole stack on a laptop",
        tags: "stratus, serverless, testing",
        body: "Cloud-only development is slow to iterate on.\n\n`cargo xtask dev` starts **DynamoDB Local** and **ministack**, \
provisions the tables and the Cognito pools, and serves the app with live reload. `cargo xtask deploy --local` deploys \
the whole stack into ministack: CloudFront, S3, the Function URL and the Lambda.\n\n- no AWS account needed\n- the same code path as the Lambda\n- signed requests checked locally",
    },
    Draft {
        blog: 0,
        title: "Relations without N+1",
        tags: "dynamodb, stratus",
        body: "Listing 100 posts with their blog and tags costs **three** DynamoDB requests: one Query and two BatchGetItem.\n\n\
```graphql\ntype Post @model {\n  blog: Blog @belongsTo\n  tags: [Tag] @manyToMany(relationName: \"PostTags\")\n}\n```",
    },
    Draft {
        blog: 1,
        title: "Signing requests in the browser",
        tags: "rust, wasm, security",
        body: "Every server function call is signed with SigV4 using temporary credentials from the Cognito identity pool.\n\n\
> The Function URL checks the signature; locally, the server does.",
    },
    Draft {
        blog: 1,
        title: "A Leptos client in one wasm file",
        tags: "rust, wasm, leptos",
        body: "The whole client, sign-in and Markdown included, is a single wasm file. Measure it with `cargo xtask bench`.",
    },
];

#[tokio::main]
async fn main() {
    stratus_server::telemetry::init(false);
    if let Err(message) = seed().await {
        tracing::error!("seeding failed: {message}");
        std::process::exit(1);
    }
}

async fn seed() -> Result<(), String> {
    let settings = Settings::load().map_err(|e| e.to_string())?;
    let app = router(
        AppState::from_settings(&settings, app::models::MODELS).await,
        &settings,
    );

    let guest = ApiClient::guest(&settings).await?;
    let feed = call(&app, &guest, "recent_posts", json!({})).await?;
    if feed["cards"]
        .as_array()
        .is_some_and(|cards| !cards.is_empty())
    {
        tracing::info!("the stack already has posts: not seeding");
        return Ok(());
    }

    tracing::info!("[seed 1/4] demo users {DEMO_EMAIL} and {READER_EMAIL}");
    let demo = user(&settings, DEMO_EMAIL).await?;
    let reader = user(&settings, READER_EMAIL).await?;
    call(&app, &demo, "save_profile", json!({ "displayName": "Demo Writer", "bio": "Writes about Rust and serverless.", "expectedVersion": null })).await?;
    call(&app, &reader, "save_profile", json!({ "displayName": "Curious Reader", "bio": "Reads everything.", "expectedVersion": null })).await?;

    tracing::info!("[seed 2/4] blogs");
    let mut blogs = Vec::new();
    for (name, description) in [
        ("Field notes", "Building Stratus in the open."),
        ("Rust on Lambda", "Small binaries, fast starts."),
    ] {
        let blog = call(
            &app,
            &demo,
            "createBlog",
            json!({ "input": { "name": name, "description": description } }),
        )
        .await?;
        blogs.push(blog["id"].as_str().unwrap_or_default().to_owned());
    }

    tracing::info!("[seed 3/4] {} posts with tags", POSTS.len());
    let mut posts = Vec::new();
    for draft in POSTS {
        let post = call(
            &app,
            &demo,
            "save_post",
            json!({ "draft": { "id": null, "expectedVersion": null, "blogId": blogs[draft.blog], "title": draft.title, "body": draft.body, "tags": draft.tags, "publish": true } }),
        )
        .await?;
        posts.push(post["id"].as_str().unwrap_or_default().to_owned());
    }

    tracing::info!("[seed 4/4] comments");
    for (post, text) in posts.iter().zip([
        "Running it offline is the best part.",
        "Three requests for a hundred posts, nice.",
        "Good explanation of SigV4.",
    ]) {
        call(
            &app,
            &reader,
            "add_comment",
            json!({ "postId": post, "content": text }),
        )
        .await?;
    }

    println!("\nDemo data is in. Sign in at the app with:\n  email:    {DEMO_EMAIL}\n  password: {PASSWORD}\n(and {READER_EMAIL} with the same password: a reader who comments)\n");
    Ok(())
}

/// Signs the user up (once) and in.
async fn user(settings: &Settings, email: &str) -> Result<ApiClient, String> {
    if let Err(error) = register_confirmed(settings, email, PASSWORD, &[]).await {
        if !error.contains("UsernameExistsException") {
            return Err(error);
        }
    }
    ApiClient::user(settings, email, PASSWORD).await
}

async fn call(
    app: &Router,
    caller: &ApiClient,
    endpoint: &str,
    body: Value,
) -> Result<Value, String> {
    let response = app
        .clone()
        .oneshot(caller.post(&format!("/api/{endpoint}"), &body.to_string()))
        .await
        .map_err(|e| e.to_string())?;
    let status = response.status();
    let bytes = to_bytes(response.into_body(), usize::MAX)
        .await
        .map_err(|e| e.to_string())?;
    if !status.is_success() {
        return Err(format!(
            "{endpoint} answered {status}: {}",
            String::from_utf8_lossy(&bytes)
        ));
    }
    serde_json::from_slice(&bytes).map_err(|e| format!("{endpoint} answered non-JSON: {e}"))
}
