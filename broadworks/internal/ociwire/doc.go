// Package ociwire turns OCI-P BroadsoftDocuments into bytes and back. It is
// the only code that knows the envelope: the XML declaration and encoding,
// the namespace-C root, sessionId, the 1–15 command elements, the framing
// of documents on a TCP stream and the SOAP wrapper of the HTTP transport.
// It knows nothing of sessions, login or retries.
//
// Wire form (R25 OCISchemaBASE.xsd):
//
//	<?xml version="1.0" encoding="ISO-8859-1"?>
//	<BroadsoftDocument protocol="OCI" xmlns="C" xmlns:xsi="http://www.w3.org/2001/XMLSchema-instance"><sessionId xmlns="">…</sessionId><command xmlns="" xsi:type="UserAddRequest22V2">…</command></BroadsoftDocument>
//
// followed by one "\n".
package ociwire
