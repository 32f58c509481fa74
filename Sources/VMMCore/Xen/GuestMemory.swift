/// The guest-physical memory of a domain: a p2m over machine frames (see DomainMemory).
public typealias GuestMemory = DomainMemory
