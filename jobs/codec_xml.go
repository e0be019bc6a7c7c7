package jobs

import (
	"errors"

	"bwbulk/broadworks/oci"
)

// errNoXML means a command cannot be rendered as XML; it is then stored as
// JSON through the oci registry.
var errNoXML = errors.New("jobs: no XML codec")

func marshalXML(c oci.Command) ([]byte, error) { return oci.MarshalCommand(c) }

func unmarshalXML(b []byte) (oci.Command, error) { return oci.UnmarshalCommand(b) }
