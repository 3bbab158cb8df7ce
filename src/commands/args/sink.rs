//! The help text of the sink-like flags (`--sink`, `--dl-sink`, `--sink-reply`,
//! `--sink-dead-letter`); their values are [`crate::ops::sink::SinkArg`], resolved by
//! [`crate::ops::sink::resolve`].

/// kn's usage text of a sink-like flag, for the flag `--NAME`.
#[macro_export]
macro_rules! sink_usage {
    ($flag:literal) => {
        concat!(
            "Addressable sink for events. You can specify a broker, channel, Knative service or URI. Examples: '",
            $flag,
            " broker:nest' for a broker 'nest', '",
            $flag,
            " channel:pipe' for a channel 'pipe', '",
            $flag,
            " ksvc:mysvc:mynamespace' for a Knative service 'mysvc' in another namespace 'mynamespace', '",
            $flag,
            " https://event.receiver.uri' for an HTTP URI, '",
            $flag,
            " ksvc:receiver' or simply '",
            $flag,
            " receiver' for a Knative service 'receiver' in the current namespace. '",
            $flag,
            " special.eventing.dev/v1alpha1/channels:pipe' for GroupVersionResource of v1alpha1 'pipe'. If a prefix is not provided, it is considered as a Knative service in the current namespace."
        )
    };
}

#[cfg(test)]
mod tests {
    #[test]
    fn usage_text_names_the_flag() {
        let text = sink_usage!("--dl-sink");
        assert!(text.starts_with("Addressable sink for events."));
        assert!(text.contains("'--dl-sink broker:nest' for a broker 'nest'"));
        assert!(text.contains("simply '--dl-sink receiver'"));
    }
}
