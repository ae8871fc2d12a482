/// A setting (flag, environment variable, file) that cannot be used, with the fix.
/// The CLI exits 2 on it.
public struct ConfigurationError: WarehouseError {
    /// The flag, variable or `file: key` at fault.
    public let setting: String
    public let issue: String
    public let remedy: String

    public init(setting: String, problem: String, fix: String) {
        self.setting = setting
        self.issue = problem
        self.remedy = fix
    }

    public var parts: (problem: String, fix: String?) { ("\(setting): \(issue)", remedy) }
}
