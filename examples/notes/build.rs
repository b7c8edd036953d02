fn main() {
    stratus_codegen::build::compile_schema("schema.graphql", "examples/notes/schema.graphql");
}
