//! The AWS stack as a CloudFormation template, generated from the resolved schema, so that the
//! cloud has exactly the tables and indexes the generated code queries:
//! - one DynamoDB table per model (`<stack>-<Model>`, the server's `table_prefix` convention),
//!   with its keys, its GSIs and point-in-time recovery, kept when the stack is deleted;
//! - the Cognito user pool (email sign-in, the password policy the forms check), its app client
//!   and the groups the `@auth` rules name;
//! - the identity pool, with a role for users and one for guests: each may only call this
//!   function's URL;
//! - the Lambda (the server binary as `bootstrap`) with a Function URL of auth type AWS_IAM and
//!   access to exactly its tables, logging JSON to its own log group;
//! - a private S3 bucket for the static site, served by CloudFront through origin access control;
//! - when a model has subscriptions, live updates: a WebSocket API whose connections, messages
//!   and disconnections go to the same function, the subscribed tables' streams feeding it too,
//!   and a table of who is subscribed to what;
//! - the outputs the browser's `config.json` is made from.

use std::collections::BTreeMap;

use serde_json::{json, Map, Value};

use crate::federation::{Federation, IdentityProvider, Protocol, APP_SCOPES, CALLBACK_PATH};
use crate::ir::{sort_attribute, AuthStrategy, FieldType, Index, Model, Schema};
use crate::security_headers::{aws_sources, content_security_policy, FIXED_HEADERS};

/// The CPU the Lambda runs on; the bootstrap must be built for the same one.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Architecture {
    Arm64,
    X86_64,
}

impl Architecture {
    /// Lambda's name for it.
    pub fn lambda_name(self) -> &'static str {
        match self {
            Architecture::Arm64 => "arm64",
            Architecture::X86_64 => "x86_64",
        }
    }
}

/// The user pool's password rules (the app's sign-up form checks the same ones).
#[derive(Debug, Clone, Copy)]
pub struct PasswordRules {
    pub min_length: usize,
    pub require_lowercase: bool,
    pub require_uppercase: bool,
    pub require_numbers: bool,
    pub require_symbols: bool,
}

#[derive(Debug, Clone)]
pub struct StackOptions {
    pub architecture: Architecture,
    pub password_rules: PasswordRules,
    /// Also allow `USER_PASSWORD_AUTH`, which sends the password itself: only for a user pool
    /// that migrates users with a user migration trigger. SRP is always allowed.
    pub password_sign_in: bool,
    /// Other identity providers, through the user pool's domain (none: no domain either).
    pub federation: Federation,
}

/// The template's parameters: where the deploy uploaded the Lambda's zip.
pub const CODE_BUCKET_PARAMETER: &str = "CodeBucket";
pub const CODE_KEY_PARAMETER: &str = "CodeKey";
/// With live updates: the key live connection tickets are signed with (64 hex digits), one
/// for every instance of the function. The deploy makes one at random and then keeps it.
pub const TICKET_KEY_PARAMETER: &str = "LiveTicketKey";

/// The stack outputs a deploy reads (the browser's configuration, and where to upload the site).
pub mod outputs {
    pub const REGION: &str = "Region";
    pub const USER_POOL_ID: &str = "UserPoolId";
    pub const USER_POOL_CLIENT_ID: &str = "UserPoolClientId";
    pub const IDENTITY_POOL_ID: &str = "IdentityPoolId";
    pub const GUEST_ROLE_ARN: &str = "GuestRoleArn";
    pub const API_URL: &str = "ApiUrl";
    pub const SITE_BUCKET: &str = "SiteBucket";
    pub const SITE_URL: &str = "SiteUrl";
    /// `srp` or `password`: how the browser signs in (the client's `sign_in_flow`).
    pub const SIGN_IN_FLOW: &str = "SignInFlow";
    /// With identity providers: the user pool domain's address (`https://….amazoncognito.com`).
    pub const HOSTED_SIGN_IN_URL: &str = "HostedSignInUrl";
    /// With live updates: the WebSocket API's address (`wss://….execute-api.<region>.amazonaws.com/live`).
    pub const LIVE_URL: &str = "LiveUrl";
}

const FUNCTION: &str = "ApiFunction";
const FUNCTION_URL: &str = "ApiFunctionUrl";
const USER_POOL: &str = "UserPool";
const USER_POOL_CLIENT: &str = "UserPoolClient";
const IDENTITY_POOL: &str = "IdentityPool";
const GUEST_ROLE: &str = "GuestRole";
const SIGNED_IN_ROLE: &str = "SignedInRole";
const DISTRIBUTION: &str = "SiteDistribution";
const SECURITY_HEADERS: &str = "SiteSecurityHeaders";
const SITE_BUCKET: &str = "SiteBucket";
const SIGN_OUT_TABLE: &str = "SignOutTable";
const USER_POOL_DOMAIN: &str = "UserPoolDomain";
const LIVE_TABLE: &str = "LiveTable";
const LIVE_API: &str = "LiveApi";
const LIVE_INTEGRATION: &str = "LiveIntegration";
/// The WebSocket API's one stage, the last segment of its address.
const LIVE_STAGE: &str = "live";

/// The headers the browser sends with a signed server-function call (CORS allows these).
const SIGNED_CALL_HEADERS: [&str; 6] = [
    "authorization",
    "content-type",
    "x-amz-content-sha256",
    "x-amz-date",
    "x-amz-security-token",
    "x-stratus-id-token",
];

/// CloudFront's managed "CachingOptimized" policy.
const CACHING_OPTIMIZED_POLICY: &str = "658327ea-f89d-4fab-a63d-7e88639e58f6";

fn explicit_auth_flows(options: &StackOptions) -> Vec<&'static str> {
    let mut flows = vec!["ALLOW_USER_SRP_AUTH", "ALLOW_REFRESH_TOKEN_AUTH"];
    if options.password_sign_in {
        flows.insert(1, "ALLOW_USER_PASSWORD_AUTH");
    }
    flows
}

/// The logical id of a model's table in the template.
pub fn table_logical_id(model: &str) -> String {
    // Logical ids are alphanumeric; GraphQL names may hold underscores.
    format!(
        "{}Table",
        model
            .chars()
            .filter(char::is_ascii_alphanumeric)
            .collect::<String>()
    )
}

pub fn template(schema: &Schema, options: &StackOptions) -> Value {
    let mut resources = Map::new();
    for model in &schema.models {
        resources.insert(table_logical_id(&model.name), table(model));
    }
    resources.insert(SIGN_OUT_TABLE.into(), sign_out_table());
    resources.extend(cognito(schema, options));
    resources.extend(identity_roles());
    let live = has_live_updates(schema);
    resources.extend(function(schema, options.architecture, live));
    resources.extend(site(&options.federation, live));
    if live {
        resources.extend(live_updates(schema));
    }

    let mut template = json!({
        "AWSTemplateFormatVersion": "2010-09-09",
        "Description": "Stratus: the blog's tables, user and identity pools, API function and static site (generated from app/schema.graphql by `cargo xtask deploy`)",
        "Parameters": {
            CODE_BUCKET_PARAMETER: { "Type": "String", "Description": "The S3 bucket holding the API function's zip" },
            CODE_KEY_PARAMETER: { "Type": "String", "Description": "The zip's key in that bucket (named by its content hash)" },
        },
        "Resources": resources,
        "Outputs": {
            outputs::REGION: { "Value": { "Ref": "AWS::Region" } },
            outputs::USER_POOL_ID: { "Value": { "Ref": USER_POOL } },
            outputs::USER_POOL_CLIENT_ID: { "Value": { "Ref": USER_POOL_CLIENT } },
            outputs::IDENTITY_POOL_ID: { "Value": { "Ref": IDENTITY_POOL } },
            outputs::GUEST_ROLE_ARN: { "Value": { "Fn::GetAtt": [GUEST_ROLE, "Arn"] } },
            outputs::API_URL: { "Value": { "Fn::GetAtt": [FUNCTION_URL, "FunctionUrl"] } },
            outputs::SITE_BUCKET: { "Value": { "Ref": SITE_BUCKET } },
            outputs::SITE_URL: { "Value": { "Fn::Sub": format!("https://${{{DISTRIBUTION}.DomainName}}") } },
            outputs::SIGN_IN_FLOW: { "Value": if options.password_sign_in { "password" } else { "srp" } },
        },
    });
    if live {
        template["Parameters"][TICKET_KEY_PARAMETER] = json!({
            "Type": "String",
            "NoEcho": true,
            "AllowedPattern": "[0-9a-f]{64}",
            "Description": "The key live connection tickets are signed with (made by the deploy)",
        });
        template["Outputs"][outputs::LIVE_URL] = json!({
            "Value": { "Fn::Sub": format!("wss://${{{LIVE_API}}}.execute-api.${{AWS::Region}}.amazonaws.com/{LIVE_STAGE}") },
        });
    }
    if !options.federation.providers.is_empty() {
        template["Outputs"][outputs::HOSTED_SIGN_IN_URL] = json!({
            "Value": { "Fn::Sub": format!("https://${{{USER_POOL_DOMAIN}}}.auth.${{AWS::Region}}.amazoncognito.com") },
        });
    }
    template
}

/// The framework's table of sign-outs (`stratus_server::auth::sign_outs`, whose layout a test
/// holds this to): `pk` only, items expiring on their own. Nothing in it outlives a day, so it
/// goes with the stack.
fn sign_out_table() -> Value {
    json!({
        "Type": "AWS::DynamoDB::Table",
        "Properties": {
            "TableName": { "Fn::Sub": "${AWS::StackName}.sign-outs" },
            "BillingMode": "PAY_PER_REQUEST",
            "AttributeDefinitions": [{ "AttributeName": "pk", "AttributeType": "S" }],
            "KeySchema": [{ "AttributeName": "pk", "KeyType": "HASH" }],
            "TimeToLiveSpecification": { "AttributeName": "expiresAt", "Enabled": true },
        },
    })
}

fn table(model: &Model) -> Value {
    let mut attributes = BTreeMap::new();
    let key_schema = key_schema(
        model,
        &model.primary_key.partition,
        &model.primary_key.sort,
        &mut attributes,
    );
    let indexes: Vec<Value> = model
        .indexes
        .iter()
        .map(|index| global_secondary_index(model, index, &mut attributes))
        .collect();
    let attribute_definitions: Vec<Value> = attributes
        .into_iter()
        .map(|(name, kind)| json!({ "AttributeName": name, "AttributeType": kind }))
        .collect();

    let mut properties = json!({
        "TableName": { "Fn::Sub": format!("${{AWS::StackName}}-{}", model.name) },
        "BillingMode": "PAY_PER_REQUEST",
        "AttributeDefinitions": attribute_definitions,
        "KeySchema": key_schema,
        "PointInTimeRecoverySpecification": { "PointInTimeRecoveryEnabled": true },
        // Every change, before and after: what live subscriptions are fed from.
        "StreamSpecification": { "StreamViewType": "NEW_AND_OLD_IMAGES" },
    });
    if !indexes.is_empty() {
        properties["GlobalSecondaryIndexes"] = Value::Array(indexes);
    }
    // The data outlives the stack: deleting or replacing the stack must not delete a table.
    json!({ "Type": "AWS::DynamoDB::Table", "DeletionPolicy": "Retain", "UpdateReplacePolicy": "Retain", "Properties": properties })
}

fn global_secondary_index(
    model: &Model,
    index: &Index,
    attributes: &mut BTreeMap<String, &'static str>,
) -> Value {
    json!({
        "IndexName": index.name,
        "KeySchema": key_schema(model, &index.partition, &index.sort, attributes),
        "Projection": { "ProjectionType": "ALL" },
    })
}

/// The key schema of the table or an index; records the key attributes' types on the way.
fn key_schema(
    model: &Model,
    partition: &str,
    sort: &[String],
    attributes: &mut BTreeMap<String, &'static str>,
) -> Vec<Value> {
    attributes.insert(partition.to_owned(), attribute_type(model, partition));
    let mut schema = vec![json!({ "AttributeName": partition, "KeyType": "HASH" })];
    if let Some(sort_attribute) = sort_attribute(sort) {
        // A composite sort key ("a#b") is stored as one string attribute.
        let kind = if sort.len() > 1 {
            "S"
        } else {
            attribute_type(model, &sort[0])
        };
        attributes.insert(sort_attribute.clone(), kind);
        schema.push(json!({ "AttributeName": sort_attribute, "KeyType": "RANGE" }));
    }
    schema
}

fn attribute_type(model: &Model, field: &str) -> &'static str {
    match model.field(field).map(|f| &f.ty) {
        Some(FieldType::Scalar(scalar)) if scalar.is_numeric() => "N",
        _ => "S",
    }
}

fn cognito(schema: &Schema, options: &StackOptions) -> Map<String, Value> {
    let rules = &options.password_rules;
    let mut resources = Map::new();
    resources.insert(
        USER_POOL.into(),
        json!({
            "Type": "AWS::Cognito::UserPool",
            // The users outlive the stack, like the tables.
            "DeletionPolicy": "Retain",
            "UpdateReplacePolicy": "Retain",
            "Properties": {
                "UserPoolName": { "Ref": "AWS::StackName" },
                "UsernameAttributes": ["email"],
                "AutoVerifiedAttributes": ["email"],
                "Policies": { "PasswordPolicy": {
                    "MinimumLength": rules.min_length,
                    "RequireLowercase": rules.require_lowercase,
                    "RequireUppercase": rules.require_uppercase,
                    "RequireNumbers": rules.require_numbers,
                    "RequireSymbols": rules.require_symbols,
                } },
                "AccountRecoverySetting": { "RecoveryMechanisms": [{ "Name": "verified_email", "Priority": 1 }] },
                // Each user may add a second step with an authenticator app (their profile page).
                "MfaConfiguration": "OPTIONAL",
                "EnabledMfas": ["SOFTWARE_TOKEN_MFA"],
            },
        }),
    );
    let mut client = json!({
            "Type": "AWS::Cognito::UserPoolClient",
            "Properties": {
                "UserPoolId": { "Ref": USER_POOL },
                "ClientName": { "Fn::Sub": "${AWS::StackName}-web" },
                // A browser cannot keep a secret.
                "GenerateSecret": false,
                // The browser signs in with SRP; the password itself only where a migration needs it.
                "ExplicitAuthFlows": explicit_auth_flows(options),
                // Sign-in and password reset answer alike for unknown and known users.
                "PreventUserExistenceErrors": "ENABLED",
            },
    });
    allow_hosted_sign_in(&mut client, &options.federation);
    resources.insert(USER_POOL_CLIENT.into(), client);
    resources.extend(federation(&options.federation));
    for group in schema_groups(schema) {
        let logical_id = format!(
            "{}Group",
            group
                .chars()
                .filter(char::is_ascii_alphanumeric)
                .collect::<String>()
        );
        resources.insert(
            logical_id,
            json!({
                "Type": "AWS::Cognito::UserPoolGroup",
                "Properties": { "UserPoolId": { "Ref": USER_POOL }, "GroupName": group },
            }),
        );
    }
    resources.insert(
        IDENTITY_POOL.into(),
        json!({
            "Type": "AWS::Cognito::IdentityPool",
            "Properties": {
                "IdentityPoolName": { "Fn::Sub": "${AWS::StackName}" },
                // Guests read the blog: they get credentials too, from the guest role.
                "AllowUnauthenticatedIdentities": true,
                // Guests take the basic flow (GetOpenIdToken, then STS): the enhanced flow
                // scopes guest sessions down to a list of services without Lambda.
                "AllowClassicFlow": true,
                "CognitoIdentityProviders": [{
                    "ClientId": { "Ref": USER_POOL_CLIENT },
                    "ProviderName": { "Fn::GetAtt": [USER_POOL, "ProviderName"] },
                }],
            },
        }),
    );
    resources
}

/// The user pool's domain, each identity provider, and the app client's hosted sign-in (the
/// authorization code flow, back to the site's own address): nothing without providers.
fn federation(federation: &Federation) -> Map<String, Value> {
    let mut resources = Map::new();
    if federation.providers.is_empty() {
        return resources;
    }
    resources.insert(
        USER_POOL_DOMAIN.into(),
        json!({
            "Type": "AWS::Cognito::UserPoolDomain",
            "Properties": { "UserPoolId": { "Ref": USER_POOL }, "Domain": federation.domain_prefix },
        }),
    );
    for provider in &federation.providers {
        let (provider_type, details) = match &provider.protocol {
            Protocol::Oidc {
                issuer,
                client_id,
                client_secret_name,
                scopes,
            } => (
                "OIDC",
                json!({
                    "client_id": client_id,
                    // Resolved by CloudFormation when it creates the provider; the template
                    // only names the secret.
                    "client_secret": format!("{{{{resolve:secretsmanager:{client_secret_name}}}}}"),
                    "authorize_scopes": scopes,
                    "oidc_issuer": issuer,
                    "attributes_request_method": "GET",
                }),
            ),
            Protocol::Saml { metadata_url } => ("SAML", json!({ "MetadataURL": metadata_url })),
        };
        resources.insert(
            provider_logical_id(provider),
            json!({
                "Type": "AWS::Cognito::UserPoolIdentityProvider",
                "Properties": {
                    "UserPoolId": { "Ref": USER_POOL },
                    "ProviderName": provider.name.as_str(),
                    "ProviderType": provider_type,
                    "ProviderDetails": details,
                    "AttributeMapping": provider.attributes,
                },
            }),
        );
    }
    resources
}

fn provider_logical_id(provider: &IdentityProvider) -> String {
    let name: String = provider
        .name
        .as_str()
        .chars()
        .filter(char::is_ascii_alphanumeric)
        .collect();
    format!("{name}IdentityProvider")
}

/// Lets the app client sign in through the user pool's domain with each provider: the
/// authorization code flow (the browser adds PKCE), back to the site's own address.
fn allow_hosted_sign_in(client: &mut Value, federation: &Federation) {
    if federation.providers.is_empty() {
        return;
    }
    let site = format!("https://${{{DISTRIBUTION}.DomainName}}");
    let mut supported = vec!["COGNITO"];
    supported.extend(federation.providers.iter().map(|p| p.name.as_str()));
    // The client names the providers, so they must exist first.
    let providers: Vec<String> = federation
        .providers
        .iter()
        .map(provider_logical_id)
        .collect();
    client["DependsOn"] = json!(providers);
    let properties = &mut client["Properties"];
    properties["SupportedIdentityProviders"] = json!(supported);
    properties["AllowedOAuthFlowsUserPoolClient"] = json!(true);
    properties["AllowedOAuthFlows"] = json!(["code"]);
    properties["AllowedOAuthScopes"] = json!(APP_SCOPES);
    properties["CallbackURLs"] = json!([{ "Fn::Sub": format!("{site}{CALLBACK_PATH}") }]);
    properties["LogoutURLs"] = json!([{ "Fn::Sub": format!("{site}/") }]);
}

/// The groups any `@auth` rule names, each once, in order.
fn schema_groups(schema: &Schema) -> Vec<&str> {
    let mut groups: Vec<&str> = schema
        .models
        .iter()
        .flat_map(|m| &m.auth)
        .filter(|rule| rule.allow == AuthStrategy::Groups)
        .flat_map(|rule| rule.groups.iter().map(String::as_str))
        .collect();
    groups.sort_unstable();
    groups.dedup();
    groups
}

/// The roles the identity pool hands out. Both may do one thing: call this function's URL,
/// signed; what a caller may do with the data is the server's `@auth` check. Function URLs made
/// since October 2025 want `lambda:InvokeFunction` besides `lambda:InvokeFunctionUrl`; the
/// former is granted only for calls through the URL, so the Lambda Invoke API stays closed.
fn identity_roles() -> Map<String, Value> {
    let role = |amr: &str| {
        json!({
            "Type": "AWS::IAM::Role",
            "Properties": {
                "AssumeRolePolicyDocument": {
                    "Version": "2012-10-17",
                    "Statement": [{
                        "Effect": "Allow",
                        "Principal": { "Federated": "cognito-identity.amazonaws.com" },
                        "Action": "sts:AssumeRoleWithWebIdentity",
                        "Condition": {
                            "StringEquals": { "cognito-identity.amazonaws.com:aud": { "Ref": IDENTITY_POOL } },
                            "ForAnyValue:StringLike": { "cognito-identity.amazonaws.com:amr": amr },
                        },
                    }],
                },
                "Policies": [{
                    "PolicyName": "call-the-api",
                    "PolicyDocument": {
                        "Version": "2012-10-17",
                        "Statement": [
                            {
                                "Effect": "Allow",
                                "Action": "lambda:InvokeFunctionUrl",
                                "Resource": { "Fn::GetAtt": [FUNCTION, "Arn"] },
                                "Condition": { "StringEquals": { "lambda:FunctionUrlAuthType": "AWS_IAM" } },
                            },
                            {
                                "Effect": "Allow",
                                "Action": "lambda:InvokeFunction",
                                "Resource": { "Fn::GetAtt": [FUNCTION, "Arn"] },
                                "Condition": { "Bool": { "lambda:InvokedViaFunctionUrl": "true" } },
                            },
                        ],
                    },
                }],
            },
        })
    };
    let mut resources = Map::new();
    resources.insert(SIGNED_IN_ROLE.into(), role("authenticated"));
    resources.insert(GUEST_ROLE.into(), role("unauthenticated"));
    resources.insert(
        "IdentityPoolRoles".into(),
        json!({
            "Type": "AWS::Cognito::IdentityPoolRoleAttachment",
            "Properties": {
                "IdentityPoolId": { "Ref": IDENTITY_POOL },
                "Roles": {
                    "authenticated": { "Fn::GetAtt": [SIGNED_IN_ROLE, "Arn"] },
                    "unauthenticated": { "Fn::GetAtt": [GUEST_ROLE, "Arn"] },
                },
            },
        }),
    );
    resources
}

/// Whether any model has subscriptions (`@model(subscriptions: null)` on all of them: none).
pub fn has_live_updates(schema: &Schema) -> bool {
    schema
        .models
        .iter()
        .any(|model| !model.subscriptions.is_empty())
}

fn function(schema: &Schema, architecture: Architecture, live: bool) -> Map<String, Value> {
    let mut table_arns: Vec<Value> = schema
        .models
        .iter()
        .flat_map(|model| {
            let table = table_logical_id(&model.name);
            [
                json!({ "Fn::GetAtt": [table, "Arn"] }),
                json!({ "Fn::Sub": format!("${{{table}.Arn}}/index/*") }),
            ]
        })
        .collect();
    table_arns.push(json!({ "Fn::GetAtt": [SIGN_OUT_TABLE, "Arn"] }));
    if live {
        table_arns.push(json!({ "Fn::GetAtt": [LIVE_TABLE, "Arn"] }));
    }
    let mut resources = Map::new();
    resources.insert(
        "ApiLogGroup".into(),
        json!({
            "Type": "AWS::Logs::LogGroup",
            "Properties": { "LogGroupName": { "Fn::Sub": "/aws/lambda/${AWS::StackName}-api" }, "RetentionInDays": 30 },
        }),
    );
    resources.insert(
        "ApiRole".into(),
        json!({
            "Type": "AWS::IAM::Role",
            "Properties": {
                "AssumeRolePolicyDocument": {
                    "Version": "2012-10-17",
                    "Statement": [{ "Effect": "Allow", "Principal": { "Service": "lambda.amazonaws.com" }, "Action": "sts:AssumeRole" }],
                },
                "Policies": [{
                    "PolicyName": "tables-and-logs",
                    "PolicyDocument": {
                        "Version": "2012-10-17",
                        "Statement": [
                            {
                                "Effect": "Allow",
                                "Action": [
                                    "dynamodb:GetItem", "dynamodb:BatchGetItem", "dynamodb:Query", "dynamodb:Scan",
                                    "dynamodb:PutItem", "dynamodb:UpdateItem", "dynamodb:DeleteItem",
                                    "dynamodb:BatchWriteItem", "dynamodb:ConditionCheckItem",
                                ],
                                "Resource": table_arns,
                            },
                            {
                                "Effect": "Allow",
                                "Action": ["logs:CreateLogStream", "logs:PutLogEvents"],
                                "Resource": { "Fn::GetAtt": ["ApiLogGroup", "Arn"] },
                            },
                        ],
                    },
                }],
            },
        }),
    );
    if live {
        let streams: Vec<Value> = subscribed_models(schema)
            .map(|model| json!({ "Fn::Sub": format!("${{{}.Arn}}/stream/*", table_logical_id(&model.name)) }))
            .collect();
        resources["ApiRole"]["Properties"]["Policies"]
            .as_array_mut()
            .expect("the role has policies")
            .push(json!({
                "PolicyName": "live-updates",
                "PolicyDocument": {
                    "Version": "2012-10-17",
                    "Statement": [
                        {
                            "Effect": "Allow",
                            "Action": ["dynamodb:DescribeStream", "dynamodb:GetRecords", "dynamodb:GetShardIterator", "dynamodb:ListStreams"],
                            "Resource": streams,
                        },
                        {
                            "Effect": "Allow",
                            "Action": "execute-api:ManageConnections",
                            "Resource": { "Fn::Sub": format!("arn:${{AWS::Partition}}:execute-api:${{AWS::Region}}:${{AWS::AccountId}}:${{{LIVE_API}}}/{LIVE_STAGE}/*") },
                        },
                    ],
                },
            }));
    }
    resources.insert(
        FUNCTION.into(),
        json!({
            "Type": "AWS::Lambda::Function",
            "Properties": {
                "FunctionName": { "Fn::Sub": "${AWS::StackName}-api" },
                "Description": "Stratus server functions (the server binary, run by lambda_http)",
                "Runtime": "provided.al2023",
                "Handler": "bootstrap",
                "Architectures": [architecture.lambda_name()],
                "MemorySize": 256,
                // The server gives up on DynamoDB after 10 s; this leaves it time to answer so.
                "Timeout": 15,
                "Role": { "Fn::GetAtt": ["ApiRole", "Arn"] },
                "Code": { "S3Bucket": { "Ref": CODE_BUCKET_PARAMETER }, "S3Key": { "Ref": CODE_KEY_PARAMETER } },
                "LoggingConfig": { "LogFormat": "JSON", "LogGroup": { "Ref": "ApiLogGroup" } },
                "Environment": { "Variables": {
                    "STRATUS_DATA__TABLE_PREFIX": { "Fn::Sub": "${AWS::StackName}-" },
                    "STRATUS_AUTH__USER_POOL_ID": { "Ref": USER_POOL },
                    "STRATUS_AUTH__USER_POOL_CLIENT_ID": { "Ref": USER_POOL_CLIENT },
                    "STRATUS_AUTH__IDENTITY_POOL_ID": { "Ref": IDENTITY_POOL },
                    "STRATUS_AUTH__SIGN_OUT_TABLE": { "Ref": SIGN_OUT_TABLE },
                } },
            },
        }),
    );
    if live {
        let variables = &mut resources[FUNCTION]["Properties"]["Environment"]["Variables"];
        variables["STRATUS_LIVE__TABLE"] = json!({ "Ref": LIVE_TABLE });
        variables["STRATUS_LIVE__API_ID"] = json!({ "Ref": LIVE_API });
        variables["STRATUS_LIVE__STAGE"] = json!(LIVE_STAGE);
        variables["STRATUS_LIVE__TICKET_KEY"] = json!({ "Ref": TICKET_KEY_PARAMETER });
    }
    resources.insert(
        FUNCTION_URL.into(),
        json!({
            "Type": "AWS::Lambda::Url",
            "Properties": {
                "TargetFunctionArn": { "Fn::GetAtt": [FUNCTION, "Arn"] },
                // AWS checks every call's SigV4 signature before the function runs.
                "AuthType": "AWS_IAM",
                "Cors": {
                    "AllowOrigins": [{ "Fn::Sub": format!("https://${{{DISTRIBUTION}.DomainName}}") }],
                    "AllowMethods": ["GET", "POST"],
                    "AllowHeaders": SIGNED_CALL_HEADERS,
                    "MaxAge": 3600,
                },
            },
        }),
    );
    resources
}

fn subscribed_models(schema: &Schema) -> impl Iterator<Item = &Model> {
    schema
        .models
        .iter()
        .filter(|model| !model.subscriptions.is_empty())
}

/// The WebSocket API, its routes to the function, the streams that feed the function, and the
/// table of connections and subscriptions (`stratus_server::live::cloud::registry`'s layout).
fn live_updates(schema: &Schema) -> Map<String, Value> {
    let mut resources = Map::new();
    resources.insert(
        LIVE_TABLE.into(),
        json!({
            "Type": "AWS::DynamoDB::Table",
            "Properties": {
                "TableName": { "Fn::Sub": "${AWS::StackName}.live" },
                "BillingMode": "PAY_PER_REQUEST",
                "AttributeDefinitions": [
                    { "AttributeName": "pk", "AttributeType": "S" },
                    { "AttributeName": "sk", "AttributeType": "S" },
                ],
                "KeySchema": [
                    { "AttributeName": "pk", "KeyType": "HASH" },
                    { "AttributeName": "sk", "KeyType": "RANGE" },
                ],
                "TimeToLiveSpecification": { "AttributeName": "expiresAt", "Enabled": true },
            },
        }),
    );
    resources.insert(
        LIVE_API.into(),
        json!({
            "Type": "AWS::ApiGatewayV2::Api",
            "Properties": {
                "Name": { "Fn::Sub": "${AWS::StackName}-live" },
                "ProtocolType": "WEBSOCKET",
                // Every message goes to `$default`; the function reads its type.
                "RouteSelectionExpression": "$request.body.type",
            },
        }),
    );
    resources.insert(
        LIVE_INTEGRATION.into(),
        json!({
            "Type": "AWS::ApiGatewayV2::Integration",
            "Properties": {
                "ApiId": { "Ref": LIVE_API },
                "IntegrationType": "AWS_PROXY",
                "IntegrationUri": { "Fn::Sub": format!("arn:${{AWS::Partition}}:apigateway:${{AWS::Region}}:lambda:path/2015-03-31/functions/${{{FUNCTION}.Arn}}/invocations") },
            },
        }),
    );
    // `$connect` is open to anyone: the function admits only a ticket that a signed call with a
    // valid ID token obtained, as the local server's `/live` does.
    for (logical_id, route) in [
        ("LiveConnectRoute", "$connect"),
        ("LiveDisconnectRoute", "$disconnect"),
        ("LiveDefaultRoute", "$default"),
    ] {
        resources.insert(
            logical_id.into(),
            json!({
                "Type": "AWS::ApiGatewayV2::Route",
                "Properties": {
                    "ApiId": { "Ref": LIVE_API },
                    "RouteKey": route,
                    "AuthorizationType": "NONE",
                    "Target": { "Fn::Sub": format!("integrations/${{{LIVE_INTEGRATION}}}") },
                },
            }),
        );
    }
    resources.insert(
        "LiveStage".into(),
        json!({
            "Type": "AWS::ApiGatewayV2::Stage",
            "DependsOn": ["LiveConnectRoute", "LiveDisconnectRoute", "LiveDefaultRoute"],
            "Properties": { "ApiId": { "Ref": LIVE_API }, "StageName": LIVE_STAGE, "AutoDeploy": true },
        }),
    );
    resources.insert(
        "LiveInvokePermission".into(),
        json!({
            "Type": "AWS::Lambda::Permission",
            "Properties": {
                "Action": "lambda:InvokeFunction",
                "FunctionName": { "Ref": FUNCTION },
                "Principal": "apigateway.amazonaws.com",
                "SourceArn": { "Fn::Sub": format!("arn:${{AWS::Partition}}:execute-api:${{AWS::Region}}:${{AWS::AccountId}}:${{{LIVE_API}}}/*") },
            },
        }),
    );
    for model in subscribed_models(schema) {
        let table = table_logical_id(&model.name);
        resources.insert(
            format!("{table}Changes"),
            json!({
                "Type": "AWS::Lambda::EventSourceMapping",
                "Properties": {
                    "EventSourceArn": { "Fn::GetAtt": [table, "StreamArn"] },
                    "FunctionName": { "Ref": FUNCTION },
                    "StartingPosition": "LATEST",
                    "BatchSize": 100,
                    // A change minutes old is no news to a live page, which queried since.
                    "MaximumRecordAgeInSeconds": 60,
                    "MaximumRetryAttempts": 2,
                },
            }),
        );
    }
    resources
}

fn site(federation: &Federation, live: bool) -> Map<String, Value> {
    let mut resources = Map::new();
    resources.insert(
        SITE_BUCKET.into(),
        json!({
            "Type": "AWS::S3::Bucket",
            "Properties": {
                "PublicAccessBlockConfiguration": {
                    "BlockPublicAcls": true, "BlockPublicPolicy": true, "IgnorePublicAcls": true, "RestrictPublicBuckets": true,
                },
                "OwnershipControls": { "Rules": [{ "ObjectOwnership": "BucketOwnerEnforced" }] },
                "BucketEncryption": { "ServerSideEncryptionConfiguration": [{ "ServerSideEncryptionByDefault": { "SSEAlgorithm": "AES256" } }] },
            },
        }),
    );
    resources.insert(
        "SiteOriginAccess".into(),
        json!({
            "Type": "AWS::CloudFront::OriginAccessControl",
            "Properties": { "OriginAccessControlConfig": {
                "Name": { "Fn::Sub": "${AWS::StackName}-site" },
                "OriginAccessControlOriginType": "s3",
                "SigningBehavior": "always",
                "SigningProtocol": "sigv4",
            } },
        }),
    );
    // The headers the local server sends (`security_headers`), here for the browser's calls to
    // this region's Cognito and STS and to the function's URL.
    let mut connect = aws_sources("${AWS::Region}");
    connect.push("https://*.lambda-url.${AWS::Region}.on.aws".into());
    if live {
        connect.push("wss://*.execute-api.${AWS::Region}.amazonaws.com".into());
    }
    if !federation.providers.is_empty() {
        // The browser exchanges a hosted sign-in's code for tokens at the user pool's domain.
        connect.push(format!(
            "https://${{{USER_POOL_DOMAIN}}}.auth.${{AWS::Region}}.amazoncognito.com"
        ));
    }
    let header = |name: &str| {
        FIXED_HEADERS
            .iter()
            .find(|(n, _)| *n == name)
            .map(|(_, v)| *v)
            .unwrap_or_default()
    };
    resources.insert(
        SECURITY_HEADERS.into(),
        json!({
            "Type": "AWS::CloudFront::ResponseHeadersPolicy",
            "Properties": { "ResponseHeadersPolicyConfig": {
                "Name": { "Fn::Sub": "${AWS::StackName}-security-headers" },
                "SecurityHeadersConfig": {
                    "ContentSecurityPolicy": { "ContentSecurityPolicy": { "Fn::Sub": content_security_policy(&connect) }, "Override": true },
                    "ContentTypeOptions": { "Override": true },
                    "FrameOptions": { "FrameOption": header("x-frame-options"), "Override": true },
                    "ReferrerPolicy": { "ReferrerPolicy": header("referrer-policy"), "Override": true },
                    "StrictTransportSecurity": { "AccessControlMaxAgeSec": 63072000, "IncludeSubdomains": true, "Override": true },
                },
            } },
        }),
    );
    resources.insert(
        DISTRIBUTION.into(),
        json!({
            "Type": "AWS::CloudFront::Distribution",
            "Properties": { "DistributionConfig": {
                "Enabled": true,
                "Comment": { "Fn::Sub": "${AWS::StackName} static site" },
                "DefaultRootObject": "index.html",
                "HttpVersion": "http2and3",
                "PriceClass": "PriceClass_100",
                "Origins": [{
                    "Id": "site",
                    "DomainName": { "Fn::GetAtt": [SITE_BUCKET, "RegionalDomainName"] },
                    "S3OriginConfig": { "OriginAccessIdentity": "" },
                    "OriginAccessControlId": { "Fn::GetAtt": ["SiteOriginAccess", "Id"] },
                }],
                "DefaultCacheBehavior": {
                    "TargetOriginId": "site",
                    "ViewerProtocolPolicy": "redirect-to-https",
                    "AllowedMethods": ["GET", "HEAD"],
                    "Compress": true,
                    "CachePolicyId": CACHING_OPTIMIZED_POLICY,
                    "ResponseHeadersPolicyId": { "Ref": SECURITY_HEADERS },
                },
                // The app routes in the browser: /posts/42 is index.html, which S3 (without
                // list rights) answers with 403 and CloudFront turns into the page.
                "CustomErrorResponses": [
                    { "ErrorCode": 403, "ResponseCode": 200, "ResponsePagePath": "/index.html" },
                    { "ErrorCode": 404, "ResponseCode": 200, "ResponsePagePath": "/index.html" },
                ],
            } },
        }),
    );
    resources.insert(
        "SiteBucketPolicy".into(),
        json!({
            "Type": "AWS::S3::BucketPolicy",
            "Properties": {
                "Bucket": { "Ref": SITE_BUCKET },
                "PolicyDocument": {
                    "Version": "2012-10-17",
                    "Statement": [{
                        "Effect": "Allow",
                        "Principal": { "Service": "cloudfront.amazonaws.com" },
                        "Action": "s3:GetObject",
                        "Resource": { "Fn::Sub": format!("${{{SITE_BUCKET}.Arn}}/*") },
                        "Condition": { "StringEquals": { "AWS:SourceArn": {
                            "Fn::Sub": format!("arn:${{AWS::Partition}}:cloudfront::${{AWS::AccountId}}:distribution/${{{DISTRIBUTION}}}")
                        } } },
                    }],
                },
            },
        }),
    );
    resources
}

#[cfg(test)]
mod tests {
    use super::*;

    const RULES: PasswordRules = PasswordRules {
        min_length: 8,
        require_lowercase: true,
        require_uppercase: true,
        require_numbers: true,
        require_symbols: false,
    };
    const OPTIONS: StackOptions = StackOptions {
        architecture: Architecture::Arm64,
        password_rules: RULES,
        password_sign_in: false,
        federation: Federation {
            domain_prefix: None,
            providers: Vec::new(),
        },
    };

    fn template_of(source: &str) -> Value {
        template(
            &crate::compile("schema.graphql", source).expect("schema compiles"),
            &OPTIONS,
        )
    }

    #[test]
    fn subscriptions_bring_a_websocket_api_whose_events_and_the_subscribed_streams_reach_the_function(
    ) {
        let template = template_of(
            "type Post @model { id: ID! } type Log @model(subscriptions: null) { id: ID! }",
        );
        let resources = &template["Resources"];
        assert_eq!(
            resources["LiveApi"]["Properties"]["ProtocolType"],
            "WEBSOCKET"
        );
        for (route, key) in [
            ("LiveConnectRoute", "$connect"),
            ("LiveDisconnectRoute", "$disconnect"),
            ("LiveDefaultRoute", "$default"),
        ] {
            let properties = &resources[route]["Properties"];
            assert_eq!(properties["RouteKey"], key);
            assert_eq!(
                properties["Target"],
                json!({ "Fn::Sub": "integrations/${LiveIntegration}" })
            );
        }
        assert!(
            resources["LiveIntegration"]["Properties"]["IntegrationUri"]["Fn::Sub"]
                .as_str()
                .unwrap()
                .contains("${ApiFunction.Arn}")
        );
        // Only the subscribed model's stream feeds the function, from now on.
        assert_eq!(
            resources["PostTableChanges"]["Properties"]["EventSourceArn"],
            json!({ "Fn::GetAtt": ["PostTable", "StreamArn"] })
        );
        assert_eq!(
            resources["PostTableChanges"]["Properties"]["StartingPosition"],
            "LATEST"
        );
        assert!(resources.get("LogTableChanges").is_none());
        // The function reads that stream and posts to this API's connections, nothing more.
        let live_policy = &resources["ApiRole"]["Properties"]["Policies"][1];
        assert_eq!(live_policy["PolicyName"], "live-updates");
        let statements = &live_policy["PolicyDocument"]["Statement"];
        assert_eq!(
            statements[0]["Resource"],
            json!([{ "Fn::Sub": "${PostTable.Arn}/stream/*" }])
        );
        assert_eq!(statements[1]["Action"], "execute-api:ManageConnections");
        assert!(statements[1]["Resource"]["Fn::Sub"]
            .as_str()
            .unwrap()
            .contains("${LiveApi}/live/"));
        let tables = &resources["ApiRole"]["Properties"]["Policies"][0]["PolicyDocument"]
            ["Statement"][0]["Resource"];
        assert!(tables
            .as_array()
            .unwrap()
            .contains(&json!({ "Fn::GetAtt": ["LiveTable", "Arn"] })));
        let variables = &resources["ApiFunction"]["Properties"]["Environment"]["Variables"];
        assert_eq!(
            variables["STRATUS_LIVE__TABLE"],
            json!({ "Ref": "LiveTable" })
        );
        assert_eq!(
            variables["STRATUS_LIVE__TICKET_KEY"],
            json!({ "Ref": TICKET_KEY_PARAMETER })
        );
        assert_eq!(template["Parameters"][TICKET_KEY_PARAMETER]["NoEcho"], true);
        assert!(template["Outputs"][outputs::LIVE_URL]["Value"]["Fn::Sub"]
            .as_str()
            .unwrap()
            .starts_with("wss://${LiveApi}.execute-api."));
        let policy = resources["SiteSecurityHeaders"]["Properties"]["ResponseHeadersPolicyConfig"]
            ["SecurityHeadersConfig"]["ContentSecurityPolicy"]["ContentSecurityPolicy"]["Fn::Sub"]
            .as_str()
            .unwrap();
        assert!(
            policy.contains("wss://*.execute-api.${AWS::Region}.amazonaws.com"),
            "{policy}"
        );
    }

    #[test]
    fn without_subscriptions_there_is_no_live_update_machinery() {
        let template = template_of("type Log @model(subscriptions: null) { id: ID! }");
        let names: Vec<&String> = template["Resources"].as_object().unwrap().keys().collect();
        assert!(
            names.iter().all(|name| !name.starts_with("Live")),
            "{names:?}"
        );
        assert!(template["Parameters"].get(TICKET_KEY_PARAMETER).is_none());
        assert!(template["Outputs"].get(outputs::LIVE_URL).is_none());
    }

    #[test]
    fn a_table_has_its_keys_indexes_and_attribute_types() {
        let template = template_of(
            "type Score @model { id: ID! game: String! @index(name: \"byGame\", sortKeyFields: [\"points\"]) points: Int! }",
        );
        let table = &template["Resources"]["ScoreTable"];
        assert_eq!(
            table["Properties"]["TableName"],
            json!({ "Fn::Sub": "${AWS::StackName}-Score" })
        );
        assert_eq!(
            table["Properties"]["KeySchema"],
            json!([{ "AttributeName": "id", "KeyType": "HASH" }])
        );
        assert_eq!(
            table["Properties"]["AttributeDefinitions"],
            json!([
                { "AttributeName": "game", "AttributeType": "S" },
                { "AttributeName": "id", "AttributeType": "S" },
                { "AttributeName": "points", "AttributeType": "N" },
            ])
        );
        let index = &table["Properties"]["GlobalSecondaryIndexes"][0];
        assert_eq!(index["IndexName"], "byGame");
        assert_eq!(
            index["KeySchema"][1],
            json!({ "AttributeName": "points", "KeyType": "RANGE" })
        );
        assert_eq!(
            table["Properties"]["PointInTimeRecoverySpecification"]["PointInTimeRecoveryEnabled"],
            true
        );
        assert_eq!(table["DeletionPolicy"], "Retain");
    }

    #[test]
    fn a_composite_sort_key_is_one_string_attribute() {
        let template = template_of(
            "type Task @model { project: ID! @primaryKey(sortKeyFields: [\"priority\", \"number\"]) priority: Int! number: Int! }",
        );
        let properties = &template["Resources"]["TaskTable"]["Properties"];
        assert_eq!(
            properties["KeySchema"][1],
            json!({ "AttributeName": "priority#number", "KeyType": "RANGE" })
        );
        assert!(properties["AttributeDefinitions"]
            .as_array()
            .unwrap()
            .contains(&json!({ "AttributeName": "priority#number", "AttributeType": "S" })));
        assert!(properties.get("GlobalSecondaryIndexes").is_none());
    }

    #[test]
    fn the_function_may_touch_exactly_the_schemas_tables_and_its_sign_outs() {
        let template = template_of(
            "type A @model(subscriptions: null) { id: ID! } type B @model(subscriptions: null) { id: ID! }",
        );
        let statement = &template["Resources"]["ApiRole"]["Properties"]["Policies"][0]
            ["PolicyDocument"]["Statement"][0];
        assert_eq!(
            statement["Resource"],
            json!([
                { "Fn::GetAtt": ["ATable", "Arn"] }, { "Fn::Sub": "${ATable.Arn}/index/*" },
                { "Fn::GetAtt": ["BTable", "Arn"] }, { "Fn::Sub": "${BTable.Arn}/index/*" },
                { "Fn::GetAtt": ["SignOutTable", "Arn"] },
            ])
        );
        let actions = statement["Action"].as_array().unwrap();
        assert!(
            !actions.contains(&json!("dynamodb:DeleteTable"))
                && !actions.contains(&json!("dynamodb:*"))
        );
    }

    #[test]
    fn identity_roles_may_only_call_the_function_url() {
        let template = template_of("type A @model { id: ID! }");
        for role in ["SignedInRole", "GuestRole"] {
            let policies = template["Resources"][role]["Properties"]["Policies"]
                .as_array()
                .unwrap();
            assert_eq!(policies.len(), 1);
            let statements = policies[0]["PolicyDocument"]["Statement"]
                .as_array()
                .unwrap();
            let allowed: Vec<_> = statements
                .iter()
                .map(|s| (&s["Action"], &s["Condition"]))
                .collect();
            assert_eq!(
                allowed,
                [
                    (
                        &json!("lambda:InvokeFunctionUrl"),
                        &json!({ "StringEquals": { "lambda:FunctionUrlAuthType": "AWS_IAM" } })
                    ),
                    (
                        &json!("lambda:InvokeFunction"),
                        &json!({ "Bool": { "lambda:InvokedViaFunctionUrl": "true" } })
                    ),
                ]
            );
            for statement in statements {
                assert_eq!(
                    statement["Resource"],
                    json!({ "Fn::GetAtt": ["ApiFunction", "Arn"] })
                );
            }
        }
        assert_eq!(
            template["Resources"]["ApiFunctionUrl"]["Properties"]["AuthType"],
            "AWS_IAM"
        );
    }

    #[test]
    fn guests_take_the_basic_flow_with_the_guest_role_from_the_outputs() {
        let template = template_of("type A @model { id: ID! }");
        let pool = &template["Resources"]["IdentityPool"]["Properties"];
        assert_eq!(
            (
                &pool["AllowUnauthenticatedIdentities"],
                &pool["AllowClassicFlow"]
            ),
            (&json!(true), &json!(true))
        );
        assert_eq!(
            template["Outputs"]["GuestRoleArn"]["Value"],
            json!({ "Fn::GetAtt": ["GuestRole", "Arn"] })
        );
    }

    #[test]
    fn the_site_is_served_with_the_security_headers_the_local_server_sends() {
        let template = template_of("type A @model { id: ID! }");
        let behavior = &template["Resources"]["SiteDistribution"]["Properties"]
            ["DistributionConfig"]["DefaultCacheBehavior"];
        assert_eq!(
            behavior["ResponseHeadersPolicyId"],
            json!({ "Ref": "SiteSecurityHeaders" })
        );
        let headers = &template["Resources"]["SiteSecurityHeaders"]["Properties"]
            ["ResponseHeadersPolicyConfig"]["SecurityHeadersConfig"];
        let policy = headers["ContentSecurityPolicy"]["ContentSecurityPolicy"]["Fn::Sub"]
            .as_str()
            .unwrap();
        assert!(
            policy.contains("frame-ancestors 'none'")
                && policy.contains("https://cognito-idp.${AWS::Region}.amazonaws.com"),
            "{policy}"
        );
        assert!(
            policy.contains("https://*.lambda-url.${AWS::Region}.on.aws"),
            "{policy}"
        );
        assert_eq!(headers["FrameOptions"]["FrameOption"], "DENY");
    }

    #[test]
    fn groups_named_by_auth_rules_become_user_pool_groups() {
        let template = template_of(
            "type A @model @auth(rules: [{ allow: groups, groups: [\"admins\", \"editors\"] }]) { id: ID! }
             type B @model @auth(rules: [{ allow: groups, groups: [\"admins\"] }]) { id: ID! }",
        );
        assert_eq!(
            template["Resources"]["adminsGroup"]["Properties"]["GroupName"],
            "admins"
        );
        assert_eq!(
            template["Resources"]["editorsGroup"]["Properties"]["GroupName"],
            "editors"
        );
    }

    #[test]
    fn the_architecture_and_password_rules_come_from_the_options() {
        let schema = crate::compile("schema.graphql", "type A @model { id: ID! }").unwrap();
        let rules = PasswordRules {
            min_length: 12,
            require_symbols: true,
            ..RULES
        };
        let template = template(
            &schema,
            &StackOptions {
                architecture: Architecture::X86_64,
                password_rules: rules,
                password_sign_in: true,
                federation: Federation::default(),
            },
        );
        assert_eq!(
            template["Resources"]["ApiFunction"]["Properties"]["Architectures"],
            json!(["x86_64"])
        );
        let policy = &template["Resources"]["UserPool"]["Properties"]["Policies"]["PasswordPolicy"];
        assert_eq!(policy["MinimumLength"], 12);
        assert_eq!(policy["RequireSymbols"], true);
        assert_eq!(
            template["Resources"]["UserPoolClient"]["Properties"]["ExplicitAuthFlows"],
            json!([
                "ALLOW_USER_SRP_AUTH",
                "ALLOW_USER_PASSWORD_AUTH",
                "ALLOW_REFRESH_TOKEN_AUTH"
            ])
        );
        assert_eq!(template["Outputs"]["SignInFlow"]["Value"], "password");
    }

    #[test]
    fn identity_providers_bring_the_domain_and_hosted_sign_in_and_keep_secrets_out() {
        let schema = crate::compile("schema.graphql", "type A @model { id: ID! }").unwrap();
        let without = template(&schema, &OPTIONS);
        assert!(without["Resources"].get("UserPoolDomain").is_none());
        assert!(without["Resources"]["UserPoolClient"]["Properties"]
            .get("AllowedOAuthFlows")
            .is_none());
        assert!(without["Outputs"].get("HostedSignInUrl").is_none());

        let federation: Federation = Federation {
            domain_prefix: Some("my-blog".into()),
            providers: vec![
                serde_json::from_value(json!({
                    "name": "Google", "label": "Google", "type": "oidc",
                    "issuer": "https://accounts.google.com", "client_id": "1234.apps",
                    "client_secret_name": "stratus/google", "attributes": { "email": "email" },
                }))
                .unwrap(),
                serde_json::from_value(json!({
                    "name": "Corp", "label": "Example Corp", "type": "saml",
                    "metadata_url": "https://idp.example.com/metadata",
                }))
                .unwrap(),
            ],
        };
        let with = template(
            &schema,
            &StackOptions {
                federation,
                ..OPTIONS
            },
        );
        let resources = &with["Resources"];
        assert_eq!(
            resources["UserPoolDomain"]["Properties"]["Domain"],
            "my-blog"
        );
        let google = &resources["GoogleIdentityProvider"]["Properties"];
        assert_eq!(google["ProviderType"], "OIDC");
        assert_eq!(
            google["ProviderDetails"]["client_secret"],
            "{{resolve:secretsmanager:stratus/google}}"
        );
        assert_eq!(google["AttributeMapping"]["email"], "email");
        assert_eq!(
            resources["CorpIdentityProvider"]["Properties"]["ProviderType"],
            "SAML"
        );
        let client = &resources["UserPoolClient"];
        assert_eq!(
            client["DependsOn"],
            json!(["GoogleIdentityProvider", "CorpIdentityProvider"])
        );
        assert_eq!(
            client["Properties"]["SupportedIdentityProviders"],
            json!(["COGNITO", "Google", "Corp"])
        );
        assert_eq!(client["Properties"]["AllowedOAuthFlows"], json!(["code"]));
        assert_eq!(
            client["Properties"]["CallbackURLs"],
            json!([{ "Fn::Sub": "https://${SiteDistribution.DomainName}/auth/callback" }])
        );
        let csp = resources["SiteSecurityHeaders"]["Properties"]["ResponseHeadersPolicyConfig"]
            ["SecurityHeadersConfig"]["ContentSecurityPolicy"]["ContentSecurityPolicy"]["Fn::Sub"]
            .as_str()
            .unwrap();
        assert!(csp.contains("https://${UserPoolDomain}.auth.${AWS::Region}.amazoncognito.com"));
        assert!(with["Outputs"]["HostedSignInUrl"].is_object());
    }
}
