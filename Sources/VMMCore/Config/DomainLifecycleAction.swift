/// What the toolstack does when a domain crashes, powers off or reboots (xm's on_crash,
/// on_poweroff, on_reboot).
public enum DomainLifecycleAction: String, Equatable, Sendable, CaseIterable {
    case destroy
    case restart
    case preserve
    case renameRestart = "rename-restart"
    case coredumpDestroy = "coredump-destroy"
    case coredumpRestart = "coredump-restart"
}
