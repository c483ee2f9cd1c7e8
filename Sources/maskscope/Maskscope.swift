import ArgumentParser

@main
struct Maskscope: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "maskscope",
        abstract: "Explore attention masks in transformer models."
    )
}
