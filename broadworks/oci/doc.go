// Package oci holds the OCI-P (BroadWorks Open Client Interface –
// Provisioning) commands bwbulk sends and receives, as plain Go data. It
// does no I/O. Type and field names keep their wire names from the R25
// schema; fields are declared in XSD sequence order.
package oci
