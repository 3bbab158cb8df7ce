//! Regenerates the checked-in completion scripts (`completions/`) and man pages (`man/`) from
//! knit's command tree. Run after adding or changing a command: `cargo run --example gen-assets`.

fn main() {
    let root = std::path::Path::new(env!("CARGO_MANIFEST_DIR"));
    match knit::assets::write_all(root) {
        Ok(files) => println!("wrote {} files under completions/ and man/", files.len()),
        Err(err) => {
            eprintln!("Error: cannot write the generated files: {err}");
            std::process::exit(1);
        }
    }
}
