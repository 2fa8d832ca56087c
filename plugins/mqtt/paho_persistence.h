// plugins/mqtt — the Paho C client persistence (MQTTCLIENT_PERSISTENCE_USER)
// backed by a SessionJournal.
//
// Thread-safety: the callbacks are called by Paho from its threads; they
// forward to the journal, which is thread-safe. The journal must outlive the
// Paho client using the returned structure.
#pragma once

#include <MQTTClientPersistence.h>

#include "session_journal.h"

namespace conflux::mqtt {

// Callbacks whose context is `journal`.
MQTTClient_persistence paho_persistence(SessionJournal& journal);

}  // namespace conflux::mqtt
