// Record/replay lands with its issue; the module exists so the dependency chain builds.
public enum ReplayModule {}
