//! The baseline: the same get, list (with blog and tags) and create written directly against
//! aws-sdk-dynamodb in bare axum handlers, on the same tables. No signatures, no ID tokens, no
//! @auth, no validation, no versions: what a team would write first. Stratus's overhead is the
//! difference.

use std::collections::HashMap;
use std::sync::Arc;

use aws_sdk_dynamodb::types::{AttributeValue, KeysAndAttributes};
use aws_sdk_dynamodb::Client;
use axum::extract::State;
use axum::http::StatusCode;
use axum::routing::post;
use axum::{Json, Router};
use serde::Deserialize;
use serde_json::Value;

struct Tables {
    client: Client,
    post: String,
    blog: String,
    tag: String,
}

pub fn router(client: Client, table_prefix: &str) -> Router {
    let tables = Tables {
        client,
        post: format!("{table_prefix}Post"),
        blog: format!("{table_prefix}Blog"),
        tag: format!("{table_prefix}Tag"),
    };
    Router::new()
        .route("/get", post(get))
        .route("/list", post(list))
        .route("/create", post(create))
        .with_state(Arc::new(tables))
}

type Answer = Result<Json<Value>, StatusCode>;

fn unavailable<E>(_: E) -> StatusCode {
    StatusCode::SERVICE_UNAVAILABLE
}

fn to_json(item: HashMap<String, AttributeValue>) -> Result<Value, StatusCode> {
    serde_dynamo::from_item(item).map_err(|_| StatusCode::INTERNAL_SERVER_ERROR)
}

#[derive(Deserialize)]
struct ById {
    id: String,
}

async fn get(State(tables): State<Arc<Tables>>, Json(ById { id }): Json<ById>) -> Answer {
    let out = tables
        .client
        .get_item()
        .table_name(&tables.post)
        .key("id", AttributeValue::S(id))
        .send()
        .await
        .map_err(unavailable)?;
    Ok(Json(
        out.item.map(to_json).transpose()?.unwrap_or(Value::Null),
    ))
}

#[derive(Deserialize)]
#[serde(rename_all = "camelCase")]
struct ByBlog {
    blog_id: String,
}

async fn list(State(tables): State<Arc<Tables>>, Json(ByBlog { blog_id }): Json<ByBlog>) -> Answer {
    let posts = tables
        .client
        .query()
        .table_name(&tables.post)
        .index_name("byBlog")
        .key_condition_expression("blogId = :blog")
        .expression_attribute_values(":blog", AttributeValue::S(blog_id.clone()))
        .limit(100)
        .send()
        .await
        .map_err(unavailable)?
        .items
        .unwrap_or_default();
    let mut tag_ids: Vec<String> = posts
        .iter()
        .filter_map(|p| p.get("_links_tags")?.as_ss().ok().cloned())
        .flatten()
        .collect();
    tag_ids.sort();
    tag_ids.dedup();
    let blog = batch_get(&tables.client, &tables.blog, vec![blog_id]).await?;
    let tags = batch_get(&tables.client, &tables.tag, tag_ids).await?;
    let mut items = Vec::with_capacity(posts.len());
    for post in posts {
        let linked: Vec<Value> = post
            .get("_links_tags")
            .and_then(|v| v.as_ss().ok())
            .map(|ids| ids.iter().filter_map(|id| tags.get(id).cloned()).collect())
            .unwrap_or_default();
        let mut post = to_json(post)?;
        post["blog"] = blog.values().next().cloned().unwrap_or(Value::Null);
        post["tags"] = Value::Array(linked);
        items.push(post);
    }
    Ok(Json(Value::Array(items)))
}

async fn batch_get(
    client: &Client,
    table: &str,
    ids: Vec<String>,
) -> Result<HashMap<String, Value>, StatusCode> {
    if ids.is_empty() {
        return Ok(HashMap::new());
    }
    let keys = ids
        .into_iter()
        .map(|id| HashMap::from([("id".to_owned(), AttributeValue::S(id))]))
        .collect();
    let request = KeysAndAttributes::builder()
        .set_keys(Some(keys))
        .build()
        .map_err(unavailable)?;
    let out = client
        .batch_get_item()
        .request_items(table, request)
        .send()
        .await
        .map_err(unavailable)?;
    let mut found = HashMap::new();
    for item in out
        .responses
        .and_then(|mut r| r.remove(table))
        .unwrap_or_default()
    {
        let value = to_json(item)?;
        if let Some(id) = value["id"].as_str() {
            found.insert(id.to_owned(), value.clone());
        }
    }
    Ok(found)
}

#[derive(Deserialize)]
#[serde(rename_all = "camelCase")]
struct NewPost {
    blog_id: String,
    title: String,
    body: String,
}

async fn create(State(tables): State<Arc<Tables>>, Json(new): Json<NewPost>) -> Answer {
    let now = time::OffsetDateTime::now_utc()
        .format(&time::format_description::well_known::Rfc3339)
        .map_err(unavailable)?;
    let item = serde_json::json!({
        "id": uuid::Uuid::new_v4().to_string(),
        "blogId": new.blog_id,
        "title": new.title,
        "body": new.body,
        "status": "DRAFT",
        "createdAt": now,
        "updatedAt": now,
        // It writes to Stratus's table: leave an item Stratus can read (lists decode every item).
        "_version": 1,
    });
    let stored =
        serde_dynamo::to_item(item.clone()).map_err(|_| StatusCode::INTERNAL_SERVER_ERROR)?;
    tables
        .client
        .put_item()
        .table_name(&tables.post)
        .set_item(Some(stored))
        .send()
        .await
        .map_err(unavailable)?;
    Ok(Json(item))
}
