//! The Knative CRDs (from `crate::crd`) as registry types: schema processing, list semantics
//! for server-side apply, and Table columns from `additionalPrinterColumns`.

use std::sync::Arc;

use serde_json::Value;

use crate::catalog::{CellSource, Column, Converter, ListKind, Schema, SchemaResult, TypeInfo};
use crate::crd::{CrdSet, CrdVersion};
use crate::status::ApiError;
use crate::validation::NameRule;

struct CrdSchema(&'static CrdVersion);

impl Schema for CrdSchema {
    fn apply(&self, object: &mut Value) -> SchemaResult {
        let outcome = self.0.apply_schema(object);
        SchemaResult {
            pruned: outcome.pruned,
            causes: outcome.causes,
        }
    }

    fn decode(&self, object: &mut Value, status: bool) -> Vec<String> {
        if status {
            self.0.schema.decode_status(object, false)
        } else {
            self.0.schema.decode(object)
        }
    }

    fn apply_status(&self, object: &mut Value, after_admission: bool) -> SchemaResult {
        let outcome = self.0.schema.apply_status(object, after_admission);
        SchemaResult {
            pruned: outcome.pruned,
            causes: outcome.causes,
        }
    }

    fn apply_after_admission(&self, object: &mut Value) -> SchemaResult {
        let outcome = self.0.schema.apply_keeping_nulls(object);
        SchemaResult {
            pruned: outcome.pruned,
            causes: outcome.causes,
        }
    }

    fn list_keys(&self, path: &[&str]) -> ListKind {
        let mut current = &self.0.schema;
        for field in path {
            if current.type_.as_deref() == Some("array")
                && let Some(items) = &current.items
            {
                current = items;
            }
            current = match current.properties.get(*field) {
                Some(s) => s,
                None => match &current.additional_properties {
                    Some(s) => s,
                    None => return ListKind::Atomic,
                },
            };
        }
        match current.list_type.as_deref() {
            Some("map") if !current.list_map_keys.is_empty() => {
                ListKind::Map(current.list_map_keys.clone())
            }
            Some("set") => ListKind::Set,
            _ => ListKind::Atomic,
        }
    }
}

/// Conversion between served versions of a Knative resource (its conversion webhook).
pub fn converter() -> Converter {
    Arc::new(|object: Value, to: &TypeInfo| {
        let set = CrdSet::knative();
        match set.version(&to.rt.group, &to.rt.version, &to.rt.plural) {
            Some(version) => crate::crd::convert(object, version),
            None => Err(ApiError::internal(format!(
                "no served version {}",
                to.rt.api_version()
            ))),
        }
    })
}

/// One [`TypeInfo`] per served version of every Knative CRD.
pub fn crd_types() -> Vec<TypeInfo> {
    let set = CrdSet::knative();
    set.resource_types()
        .into_iter()
        .filter_map(|rt| set.version(&rt.group, &rt.version, &rt.plural))
        .map(|version| {
            let columns = version
                .table_columns()
                .into_iter()
                .map(|pc| {
                    let cell = pc.clone();
                    Column {
                        name: pc.name,
                        type_: pc.type_,
                        format: pc.format,
                        description: pc.description,
                        priority: pc.priority,
                        source: CellSource::Compute(Arc::new(move |o: &Value| cell.cell(o))),
                    }
                })
                .collect();
            TypeInfo {
                rt: version.resource.clone(),
                custom: true,
                name_rule: NameRule::Subdomain,
                extra_fields: Vec::new(),
                columns,
                schema: Some(Arc::new(CrdSchema(version))),
            }
        })
        .collect()
}
