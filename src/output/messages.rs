//! Every status sentence knit prints after an operation, worded exactly as kn words it.

/// `Service 'hello' successfully deleted in namespace 'default'.`
pub fn service_deleted(name: &str, namespace: &str) -> String {
    format!("Service '{name}' successfully deleted in namespace '{namespace}'.")
}

/// `Revision 'hello-00001' deleted in namespace 'default'.`
pub fn revision_deleted(name: &str, namespace: &str) -> String {
    format!("Revision '{name}' deleted in namespace '{namespace}'.")
}

/// `Domain mapping 'x' created in namespace 'default'.` (verb: created/updated/deleted)
pub fn domain_mapping(name: &str, verb: &str, namespace: &str) -> String {
    format!("Domain mapping '{name}' {verb} in namespace '{namespace}'.")
}

/// `Waiting for Service 'hello' in namespace 'default':`
pub fn waiting_for_service(name: &str, namespace: &str) -> String {
    format!("Waiting for Service '{name}' in namespace '{namespace}':")
}

/// `Service 'hello' in namespace 'default' is ready.`
pub fn service_ready(name: &str, namespace: &str) -> String {
    format!("Service '{name}' in namespace '{namespace}' is ready.")
}

/// `timeout: service 'hello' not ready after 600 seconds` (also used for deletes, like kn).
pub fn service_timeout(name: &str, seconds: u64) -> String {
    format!("timeout: service '{name}' not ready after {seconds} seconds")
}

/// `can't delete service 'x' because it has been already marked for deletion`
pub fn already_deleting(kind: &str, name: &str) -> String {
    format!("can't delete {kind} '{name}' because it has been already marked for deletion")
}

/// `No services found.` and friends.
pub const NO_SERVICES: &str = "No services found.";
pub const NO_REVISIONS: &str = "No revisions found.";
pub const NO_ROUTES: &str = "No routes found.";
pub const NO_DOMAIN_MAPPINGS: &str = "No domain mapping found.";
pub const NO_UNREFERENCED_REVISIONS: &str = "No unreferenced revisions found.";

/// `Service 'hello' created in namespace 'default'.` (verb: created/updated/replaced/applied/imported)
pub fn service_done(name: &str, verb: &str, namespace: &str) -> String {
    format!("Service '{name}' {verb} in namespace '{namespace}'.")
}

/// `Service 'hello' created to latest revision 'hello-00001' is available at URL:`
pub fn service_url(name: &str, verb: &str, revision: &str) -> String {
    format!("Service '{name}' {verb} to latest revision '{revision}' is available at URL:")
}

/// `Service 'hello' with latest revision 'hello-00001' (unchanged) is available at URL:`
pub fn service_unchanged_url(name: &str, revision: &str) -> String {
    format!("Service '{name}' with latest revision '{revision}' (unchanged) is available at URL:")
}

/// `Service 'hello' replaced in namespace 'default' (unchanged).`
pub fn service_replaced_unchanged(name: &str, namespace: &str) -> String {
    format!("Service '{name}' replaced in namespace '{namespace}' (unchanged).")
}

/// The second line of an update that made no revision.
pub const NO_NEW_REVISION: &str = "No new revision has been created.";

/// `No changes to apply to service 'hello'.`
pub fn no_changes_to_apply(name: &str) -> String {
    format!("No changes to apply to service '{name}'.")
}

/// `cannot create service 'x' in namespace 'ns' because the service already exists and no --force option was given`
pub fn service_exists_no_force(name: &str, namespace: &str) -> String {
    format!(
        "cannot create service '{name}' in namespace '{namespace}' because the service already exists and no --force option was given"
    )
}

/// `cannot import service 'x' in namespace 'ns' because the service already exists`
pub fn service_exists_import(name: &str, namespace: &str) -> String {
    format!(
        "cannot import service '{name}' in namespace '{namespace}' because the service already exists"
    )
}

// Eventing (kn-reference §5–7): kn's words, per noun.

/// `Broker 'b' successfully created in namespace 'ns'.` (verb: created/deleted)
pub fn broker_successfully(name: &str, verb: &str, namespace: &str) -> String {
    format!("Broker '{name}' successfully {verb} in namespace '{namespace}'.")
}

/// `Trigger 't' successfully created in namespace 'ns'.`
pub fn trigger_created(name: &str, namespace: &str) -> String {
    format!("Trigger '{name}' successfully created in namespace '{namespace}'.")
}

/// `Eventtype 'e' successfully created in namespace 'ns'.` (verb: created/deleted)
pub fn eventtype_successfully(name: &str, verb: &str, namespace: &str) -> String {
    format!("Eventtype '{name}' successfully {verb} in namespace '{namespace}'.")
}

/// `<What> 'n' <verb> in namespace 'ns'.`, the plain form most eventing commands use (`Trigger`,
/// `Channel`, `Subscription`, `Ping source`, `ApiServer source`, `Sink binding`, `Secret`,
/// `Broker` for updates, …).
pub fn done_in_namespace(what: &str, name: &str, verb: &str, namespace: &str) -> String {
    format!("{what} '{name}' {verb} in namespace '{namespace}'.")
}

/// `timeout: broker 'b' not ready after 600 seconds` (kn says "not ready" for deletes too).
pub fn eventing_timeout(kind: &str, name: &str, seconds: u64) -> String {
    format!("timeout: {kind} '{name}' not ready after {seconds} seconds")
}

pub const NO_BROKERS: &str = "No brokers found.";
pub const NO_TRIGGERS: &str = "No triggers found.";
pub const NO_SOURCES: &str = "No sources found.";
pub const NO_APISERVER_SOURCES: &str = "No ApiServer source found.";
pub const NO_SINK_BINDINGS: &str = "No sink binding found.";
pub const NO_CONTAINER_SOURCES: &str = "No Container source found.";
pub const NO_PING_SOURCES: &str = "No Ping source found.";
pub const NO_CHANNELS: &str = "No channels found.";
pub const NO_SUBSCRIPTIONS: &str = "No subscriptions found.";
pub const NO_EVENTTYPES: &str = "No eventtypes found.";
pub const NO_SECRETS: &str = "No secret found.";
