// The GDB remote stub lands with its issue; the module exists so the dependency chain builds.
public enum GDBStubModule {}
