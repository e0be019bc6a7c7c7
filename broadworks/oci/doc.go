// Package oci holds the OCI-P (BroadWorks Open Client Interface –
// Provisioning) commands bwbulk sends and receives, as plain Go data. It
// does no I/O. Type and field names keep their wire names from the R25
// schema; fields are declared in XSD sequence order.
//
// The command types in zz_generated.go are generated from the R25 XSD set
// by ../internal/ocigen for the names in commands.txt (go generate). The
// mapping:
//
//   - a required element is a plain field; an optional one a pointer
//     (String, Bool, Int help fill them) and a repeated one a slice;
//   - in a choice (for example serviceProviderId+groupId | groupExternalId)
//     string alternatives are plain strings with omitempty: fill the
//     alternative you mean and leave the others empty;
//   - a boolean element fixed to true (isEnterprise, excludeReseller) is a
//     bool written only when true;
//   - a nillable element of a modify command is a *Nillable[T]: nil leaves
//     the value alone, Set(v) changes it, Clear[T]() writes xsi:nil="true";
//   - the abstract DepartmentKey is an interface implemented by
//     *GroupDepartmentKey and *EnterpriseDepartmentKey, written with
//     xsi:type (GroupDepartment, EnterpriseDepartment, ClearDepartment);
//   - an OCITable is a Table, read by column heading.
//
// A command marshals as the content of the <command> element; the
// envelope (broadworks/internal/ociwire) writes the element itself through
// EncodeCommand. MarshalCommand and UnmarshalCommand turn one command into
// a standalone element and back, for storage.
package oci
