package io.hearth.security.audit;

import java.util.List;

/** Where audit entries are appended and read: the grid in processes ({@link GridAuditTrail}), memory in tests. */
public interface AuditTrail {
    /** Appends an entry; entries are never changed or removed through this interface. */
    void append(AuditEntry entry);

    /** The entries the query selects, oldest first. */
    List<AuditEntry> read(AuditQuery query);
}
