//! The CloudFormation stack: its deployed template, and updates through change sets, waited for
//! with each resource's progress logged as CloudFormation reports it.

use std::collections::{HashMap, HashSet};
use std::time::Duration;

use aws_config::SdkConfig;
use aws_sdk_cloudformation::types::{
    Capability, ChangeSetStatus, ChangeSetType, Parameter, StackStatus, TemplateStage,
};
use aws_sdk_cloudformation::Client;
use serde_json::Value;
use stratus_codegen::cloudformation::{
    CODE_BUCKET_PARAMETER, CODE_KEY_PARAMETER, TICKET_KEY_PARAMETER,
};

use super::site::CodeLocation;
use super::DeployError;

const POLL: Duration = Duration::from_secs(3);

pub struct Stacks {
    client: Client,
    name: String,
}

impl Stacks {
    pub fn new(sdk: &SdkConfig, name: &str) -> Self {
        Stacks {
            client: Client::new(sdk),
            name: name.to_owned(),
        }
    }

    async fn status(&self) -> Result<Option<StackStatus>, DeployError> {
        Ok(self
            .described()
            .await?
            .and_then(|stack| stack.stack_status().cloned()))
    }

    /// The stack as CloudFormation describes it, if there is one.
    async fn described(&self) -> Result<Option<aws_sdk_cloudformation::types::Stack>, DeployError> {
        match self
            .client
            .describe_stacks()
            .stack_name(&self.name)
            .send()
            .await
        {
            Ok(found) => Ok(found.stacks().first().cloned()),
            // CloudFormation answers a missing stack with a ValidationError.
            Err(e)
                if e.as_service_error()
                    .and_then(|e| e.meta().message())
                    .is_some_and(|m| m.contains("does not exist")) =>
            {
                Ok(None)
            }
            Err(e) => Err(DeployError::aws(
                format!("describing stack {}", self.name),
                e,
            )),
        }
    }

    /// The template in place, or `None` when there is no stack (or only a failed first attempt).
    pub async fn deployed_template(&self) -> Result<Option<Value>, DeployError> {
        match self.status().await? {
            None | Some(StackStatus::RollbackComplete) => return Ok(None),
            Some(_) => {}
        }
        let found = self
            .client
            .get_template()
            .stack_name(&self.name)
            .template_stage(TemplateStage::Original)
            .send()
            .await
            .map_err(|e| DeployError::aws(format!("reading the template of {}", self.name), e))?;
        Ok(found
            .template_body()
            .and_then(|body| serde_json::from_str(body).ok()))
    }

    /// Deploys the templates in turn; returns the stack's outputs.
    pub async fn apply(
        &self,
        templates: &[Value],
        code: &CodeLocation,
    ) -> Result<HashMap<String, String>, DeployError> {
        if self.status().await? == Some(StackStatus::RollbackComplete) {
            // A first deploy that failed leaves a stack that can only be deleted.
            tracing::info!(
                "stack {} is what a failed first deploy left: deleting it first",
                self.name
            );
            self.client
                .delete_stack()
                .stack_name(&self.name)
                .send()
                .await
                .map_err(|e| DeployError::aws(format!("deleting stack {}", self.name), e))?;
            while self.status().await?.is_some() {
                tokio::time::sleep(POLL).await;
            }
        }
        for (number, template) in templates.iter().enumerate() {
            if templates.len() > 1 {
                tracing::info!("stack update {} of {}", number + 1, templates.len());
            }
            self.apply_one(template, code).await?;
        }
        self.outputs().await
    }

    async fn apply_one(&self, template: &Value, code: &CodeLocation) -> Result<(), DeployError> {
        let change_type = if self.status().await?.is_some() {
            ChangeSetType::Update
        } else {
            ChangeSetType::Create
        };
        let change_set_name = format!(
            "stratus-{}",
            time::OffsetDateTime::now_utc().unix_timestamp()
        );
        let parameter = |key: &str, value: &str| {
            Parameter::builder()
                .parameter_key(key)
                .parameter_value(value)
                .build()
        };
        let mut parameters = vec![
            parameter(CODE_BUCKET_PARAMETER, &code.bucket),
            parameter(CODE_KEY_PARAMETER, &code.key),
        ];
        if template["Parameters"].get(TICKET_KEY_PARAMETER).is_some() {
            parameters.push(self.ticket_key().await?);
        }
        self.client
            .create_change_set()
            .stack_name(&self.name)
            .change_set_name(&change_set_name)
            .change_set_type(change_type.clone())
            .template_body(serde_json::to_string(template).expect("a JSON value serializes"))
            .set_parameters(Some(parameters))
            .capabilities(Capability::CapabilityIam)
            .send()
            .await
            .map_err(|e| DeployError::aws(format!("creating a change set for {}", self.name), e))?;

        // Wait for CloudFormation to work out the changes; none at all is not an error.
        loop {
            let described = self
                .client
                .describe_change_set()
                .stack_name(&self.name)
                .change_set_name(&change_set_name)
                .send()
                .await
                .map_err(|e| DeployError::aws("describing the change set", e))?;
            match described.status() {
                Some(ChangeSetStatus::CreateComplete) => {
                    for change in described.changes() {
                        if let Some(resource) = change.resource_change() {
                            tracing::info!(
                                "  CloudFormation: {} {} ({})",
                                resource.action().map(|a| a.as_str()).unwrap_or("?"),
                                resource.logical_resource_id().unwrap_or("?"),
                                resource.resource_type().unwrap_or("?")
                            );
                        }
                    }
                    break;
                }
                Some(ChangeSetStatus::Failed) => {
                    let reason = described
                        .status_reason()
                        .unwrap_or("no reason given")
                        .to_owned();
                    if reason.contains("didn't contain changes") || reason.contains("No updates") {
                        tracing::info!("the stack is already up to date");
                        return Ok(());
                    }
                    return Err(DeployError::StackFailed {
                        stack: self.name.clone(),
                        status: "a failed change set".into(),
                        reason,
                    });
                }
                _ => tokio::time::sleep(POLL).await,
            }
        }

        self.client
            .execute_change_set()
            .stack_name(&self.name)
            .change_set_name(&change_set_name)
            .send()
            .await
            .map_err(|e| DeployError::aws("executing the change set", e))?;
        self.wait(change_type == ChangeSetType::Create).await
    }

    /// The live ticket key: the one the stack has (a new key would end every open connection
    /// at each deploy), or a new random one.
    async fn ticket_key(&self) -> Result<Parameter, DeployError> {
        let kept = self.described().await?.is_some_and(|stack| {
            stack
                .parameters()
                .iter()
                .any(|p| p.parameter_key() == Some(TICKET_KEY_PARAMETER))
        });
        let parameter = Parameter::builder().parameter_key(TICKET_KEY_PARAMETER);
        if kept {
            return Ok(parameter.use_previous_value(true).build());
        }
        let mut key = [0u8; 32];
        getrandom::fill(&mut key).map_err(|e| DeployError::Randomness(e.to_string()))?;
        let hex: String = key.iter().map(|byte| format!("{byte:02x}")).collect();
        Ok(parameter.parameter_value(hex).build())
    }

    /// Waits for the stack to settle, logging each resource event once.
    async fn wait(&self, creating: bool) -> Result<(), DeployError> {
        let mut seen = HashSet::new();
        let started = time::OffsetDateTime::now_utc() - time::Duration::seconds(5);
        loop {
            let events = self
                .client
                .describe_stack_events()
                .stack_name(&self.name)
                .send()
                .await
                .map_err(|e| DeployError::aws("reading stack events", e))?;
            // Newest first: log oldest first.
            for event in events.stack_events().iter().rev() {
                let recent = event
                    .timestamp()
                    .is_some_and(|t| t.secs() >= started.unix_timestamp());
                let Some(id) = event.event_id() else { continue };
                if recent && seen.insert(id.to_owned()) {
                    tracing::info!(
                        "  {} {}{}",
                        event.logical_resource_id().unwrap_or("?"),
                        event.resource_status().map(|s| s.as_str()).unwrap_or("?"),
                        event
                            .resource_status_reason()
                            .map(|r| format!(": {r}"))
                            .unwrap_or_default()
                    );
                }
            }
            let status = self.status().await?;
            match &status {
                Some(StackStatus::CreateComplete | StackStatus::UpdateComplete) => return Ok(()),
                Some(s)
                    if s.as_str().ends_with("_COMPLETE")
                        && !s.as_str().ends_with("CLEANUP_COMPLETE")
                        || s.as_str().ends_with("_FAILED") =>
                {
                    let reason = self.failure_reason().await;
                    let hint = if creating {
                        " (delete it, or deploy again: a failed first deploy is replaced)"
                    } else {
                        " (the previous version is back)"
                    };
                    return Err(DeployError::StackFailed {
                        stack: self.name.clone(),
                        status: format!("{}{hint}", s.as_str()),
                        reason,
                    });
                }
                None => {
                    return Err(DeployError::StackFailed {
                        stack: self.name.clone(),
                        status: "deleted".into(),
                        reason: "the stack vanished while deploying".into(),
                    })
                }
                _ => tokio::time::sleep(POLL).await,
            }
        }
    }

    /// The first resource failure CloudFormation reported: the cause, not the cascade.
    async fn failure_reason(&self) -> String {
        let Ok(events) = self
            .client
            .describe_stack_events()
            .stack_name(&self.name)
            .send()
            .await
        else {
            return "see the stack's events in the CloudFormation console".into();
        };
        events
            .stack_events()
            .iter()
            .rev()
            .find(|e| {
                e.resource_status()
                    .is_some_and(|s| s.as_str().ends_with("_FAILED"))
            })
            .map(|e| {
                format!(
                    "{}: {}",
                    e.logical_resource_id().unwrap_or("?"),
                    e.resource_status_reason().unwrap_or("?")
                )
            })
            .unwrap_or_else(|| "see the stack's events in the CloudFormation console".into())
    }

    pub async fn outputs(&self) -> Result<HashMap<String, String>, DeployError> {
        let found = self
            .client
            .describe_stacks()
            .stack_name(&self.name)
            .send()
            .await
            .map_err(|e| DeployError::aws(format!("reading the outputs of {}", self.name), e))?;
        Ok(found
            .stacks()
            .first()
            .map(|stack| {
                stack
                    .outputs()
                    .iter()
                    .filter_map(|o| {
                        Some((o.output_key()?.to_owned(), o.output_value()?.to_owned()))
                    })
                    .collect()
            })
            .unwrap_or_default())
    }
}
