//! S3: the Lambda's zip in an artifacts bucket (CloudFormation reads Lambda code from S3), and
//! the static site in the stack's private site bucket.

use std::path::{Path, PathBuf};

use aws_config::SdkConfig;
use aws_sdk_s3::primitives::ByteStream;
use aws_sdk_s3::types::{
    BucketLocationConstraint, CreateBucketConfiguration, PublicAccessBlockConfiguration,
};
use aws_sdk_s3::Client;
use sha2::{Digest, Sha256};
use stratus_server::built_site::{self, Shell};

use super::{DeployError, Deployment};

/// Where the Lambda's zip was put.
pub struct CodeLocation {
    pub bucket: String,
    pub key: String,
}

pub fn s3_client(sdk: &SdkConfig) -> Client {
    let mut config = aws_sdk_s3::config::Builder::from(sdk);
    if sdk.endpoint_url().is_some() {
        // An emulator on 127.0.0.1 has no per-bucket host names.
        config = config.force_path_style(true);
    }
    Client::from_conf(config.build())
}

/// Uploads the zip under a name made of its content hash: an unchanged build is not uploaded
/// again, and a changed one makes CloudFormation update the function's code.
pub async fn upload_lambda_zip(
    s3: &Client,
    account: &str,
    region: &str,
    deployment: &Deployment,
) -> Result<CodeLocation, DeployError> {
    let zip = &deployment.lambda_zip;
    let bytes = std::fs::read(zip).map_err(|e| DeployError::io(zip, e))?;
    let digest = Sha256::digest(&bytes);
    let hash: String = digest.iter().take(16).map(|b| format!("{b:02x}")).collect();
    let bucket = format!("stratus-artifacts-{account}-{region}");
    let key = format!("{}/lambda-{hash}.zip", deployment.stack_name);
    ensure_private_bucket(s3, &bucket, region).await?;
    if s3
        .head_object()
        .bucket(&bucket)
        .key(&key)
        .send()
        .await
        .is_ok()
    {
        tracing::info!("the Lambda's zip is unchanged since the last upload");
    } else {
        s3.put_object()
            .bucket(&bucket)
            .key(&key)
            .body(ByteStream::from(bytes))
            .send()
            .await
            .map_err(|e| {
                DeployError::aws(
                    format!("uploading {} to s3://{bucket}/{key}", zip.display()),
                    e,
                )
            })?;
    }
    Ok(CodeLocation { bucket, key })
}

async fn ensure_private_bucket(s3: &Client, bucket: &str, region: &str) -> Result<(), DeployError> {
    if s3.head_bucket().bucket(bucket).send().await.is_ok() {
        return Ok(());
    }
    tracing::info!("creating the artifacts bucket {bucket}");
    let mut create = s3.create_bucket().bucket(bucket);
    // us-east-1 is the one region that takes no location constraint.
    if region != "us-east-1" {
        create = create.create_bucket_configuration(
            CreateBucketConfiguration::builder()
                .location_constraint(BucketLocationConstraint::from(region))
                .build(),
        );
    }
    create
        .send()
        .await
        .map_err(|e| DeployError::aws(format!("creating bucket {bucket}"), e))?;
    s3.put_public_access_block()
        .bucket(bucket)
        .public_access_block_configuration(
            PublicAccessBlockConfiguration::builder()
                .block_public_acls(true)
                .block_public_policy(true)
                .ignore_public_acls(true)
                .restrict_public_buckets(true)
                .build(),
        )
        .send()
        .await
        .map_err(|e| DeployError::aws(format!("blocking public access to {bucket}"), e))?;
    Ok(())
}

/// One object of the site bucket.
struct SiteObject {
    key: String,
    body: ObjectBody,
}

enum ObjectBody {
    File(PathBuf),
    Text(String),
    Bytes(Vec<u8>),
}

/// What the bucket holds for the site in `site_dir` (public/ and cargo-leptos's pkg/, with
/// `config.json`): every file, with `index.html` as `built_site::Shell` writes it and the files
/// it loads (the boot script, the icon) also under their hashed names, and without the compressed copies a release
/// build writes beside each file (CloudFront compresses for the browsers that ask).
fn site_objects(site_dir: &Path) -> Result<Vec<SiteObject>, DeployError> {
    let shell = Shell::assemble(site_dir, &site_dir.join("pkg"))
        .map_err(|e| DeployError::io(&site_dir.join("index.html"), e))?;
    let mut objects: Vec<SiteObject> = files_under(site_dir)?
        .into_iter()
        .filter(|path| !matches!(path.extension().and_then(|e| e.to_str()), Some("br" | "gz")))
        .map(|path| SiteObject {
            key: object_key(site_dir, &path),
            body: ObjectBody::File(path),
        })
        .filter(|object| object.key != "index.html")
        .collect();
    objects.push(SiteObject {
        key: "index.html".into(),
        body: ObjectBody::Text(shell.index_html),
    });
    objects.extend(shell.assets.into_iter().map(|asset| SiteObject {
        key: asset.name,
        body: ObjectBody::Bytes(asset.content),
    }));
    Ok(objects)
}

/// Uploads the site in `site_dir` (`site_objects`), each file with the `Cache-Control` its name
/// allows (`built_site::cache_control`), and removes what an earlier deploy left that this one
/// no longer has. Returns how many objects were uploaded.
pub async fn upload_site(s3: &Client, bucket: &str, site_dir: &Path) -> Result<usize, DeployError> {
    let objects = site_objects(site_dir)?;
    for (number, object) in objects.iter().enumerate() {
        let body = match &object.body {
            ObjectBody::File(path) => ByteStream::from_path(path)
                .await
                .map_err(|e| DeployError::io(path, std::io::Error::other(e)))?,
            ObjectBody::Text(text) => ByteStream::from(text.clone().into_bytes()),
            ObjectBody::Bytes(bytes) => ByteStream::from(bytes.clone()),
        };
        tracing::info!("  [{}/{}] {}", number + 1, objects.len(), object.key);
        s3.put_object()
            .bucket(bucket)
            .key(&object.key)
            .body(body)
            .content_type(content_type(Path::new(&object.key)))
            .cache_control(built_site::cache_control(&object.key))
            .send()
            .await
            .map_err(|e| DeployError::aws(format!("uploading {}", object.key), e))?;
    }
    let keys: Vec<&str> = objects.iter().map(|o| o.key.as_str()).collect();
    let listed = s3
        .list_objects_v2()
        .bucket(bucket)
        .send()
        .await
        .map_err(|e| DeployError::aws(format!("listing {bucket}"), e))?;
    for stale in listed
        .contents()
        .iter()
        .filter_map(|o| o.key())
        .filter(|key| !keys.contains(key))
    {
        s3.delete_object()
            .bucket(bucket)
            .key(stale)
            .send()
            .await
            .map_err(|e| DeployError::aws(format!("removing {stale}"), e))?;
    }
    Ok(objects.len())
}

fn files_under(dir: &Path) -> Result<Vec<PathBuf>, DeployError> {
    let mut files = Vec::new();
    let mut pending = vec![dir.to_owned()];
    while let Some(current) = pending.pop() {
        for entry in std::fs::read_dir(&current).map_err(|e| DeployError::io(&current, e))? {
            let path = entry.map_err(|e| DeployError::io(&current, e))?.path();
            if path.is_dir() {
                pending.push(path);
            } else {
                files.push(path);
            }
        }
    }
    files.sort();
    Ok(files)
}

fn object_key(site_dir: &Path, path: &Path) -> String {
    path.strip_prefix(site_dir)
        .unwrap_or(path)
        .to_string_lossy()
        .replace('\\', "/")
}

fn content_type(path: &Path) -> &'static str {
    match path
        .extension()
        .and_then(|e| e.to_str())
        .unwrap_or_default()
    {
        "html" => "text/html; charset=utf-8",
        "js" => "text/javascript; charset=utf-8",
        "wasm" => "application/wasm",
        "css" => "text/css; charset=utf-8",
        "json" => "application/json",
        "svg" => "image/svg+xml",
        "png" => "image/png",
        "ico" => "image/x-icon",
        "txt" => "text/plain; charset=utf-8",
        _ => "application/octet-stream",
    }
}
