// Package jobs keeps bwbulk's durable state in SQLite and sends provisioning
// work to BroadWorks in the background.
//
// The Store holds server profiles (never passwords), autosaved wizard
// drafts, a catalogue cache for offline drafting, tasks and their per-user
// jobs, and an append-only audit of every command sent. User passwords in
// job payloads and drafts are sealed with AES-GCM under a key kept in the OS
// keyring; administrator passwords live only in the keyring.
//
// The Runner sends each task's jobs over a pool of OCI-P sessions, batching
// up to 15 commands per document while keeping each user's own order
// (device, then user, then services). A command whose outcome is unknown is
// resolved by reading the server before anything is sent again, so every
// user is created exactly once, also across a crash of the process.
// Progress is published as Events that never block the runner.
//
// Package jobs imports no Fyne code.
package jobs
