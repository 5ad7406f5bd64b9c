/// The Swift compiler that built this image, as `MAJOR.MINOR`.
///
/// A Swift plugin runs on the Swift runtime the server already loaded, so the two must come from
/// the same compiler release: the SDK declares its version in the plugin's descriptor
/// (`swift_version`, ABI 1.3) and the server refuses a plugin whose version is not its own. It
/// lives here because this module is the one both sides link.
public enum SwiftToolchain {
    /// `MAJOR.MINOR` of the compiler, e.g. `6.3`, read at compile time.
    public static let version: String = {
        #if compiler(>=7.4)
        #error("SwiftToolchain does not know this compiler release yet: add it here")
        #elseif compiler(>=7.3)
        return "7.3"
        #elseif compiler(>=7.2)
        return "7.2"
        #elseif compiler(>=7.1)
        return "7.1"
        #elseif compiler(>=7.0)
        return "7.0"
        #elseif compiler(>=6.5)
        return "6.5"
        #elseif compiler(>=6.4)
        return "6.4"
        #elseif compiler(>=6.3)
        return "6.3"
        #elseif compiler(>=6.2)
        return "6.2"
        #elseif compiler(>=6.1)
        return "6.1"
        #else
        return "6.0"
        #endif
    }()
}
