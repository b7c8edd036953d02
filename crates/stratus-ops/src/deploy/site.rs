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

/// Uploads every file under `site_dir`, and removes what an earlier deploy left that this one
/// no longer has. Returns how many files were uploaded.
pub async fn upload_site(s3: &Client, bucket: &str, site_dir: &Path) -> Result<usize, DeployError> {
    let files = files_under(site_dir)?;
    let keys: Vec<String> = files
        .iter()
        .map(|path| object_key(site_dir, path))
        .collect();
    for (number, (path, key)) in files.iter().zip(&keys).enumerate() {
        let body = ByteStream::from_path(path)
            .await
            .map_err(|e| DeployError::io(path, std::io::Error::other(e)))?;
        tracing::info!("  [{}/{}] {key}", number + 1, files.len());
        s3.put_object()
            .bucket(bucket)
            .key(key)
            .body(body)
            .content_type(content_type(path))
            // Names carry no content hash: browsers and CloudFront revalidate each time.
            .cache_control("no-cache")
            .send()
            .await
            .map_err(|e| DeployError::aws(format!("uploading {key}"), e))?;
    }
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
        .filter(|key| !keys.iter().any(|kept| kept == key))
    {
        s3.delete_object()
            .bucket(bucket)
            .key(stale)
            .send()
            .await
            .map_err(|e| DeployError::aws(format!("removing {stale}"), e))?;
    }
    Ok(files.len())
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
