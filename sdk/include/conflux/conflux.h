// conflux/conflux.h — everything a plugin needs, in one include.
#pragma once

#include "conflux/abi.h"
#include "conflux/backoff.h"
#include "conflux/clock.h"
#include "conflux/config.h"
#include "conflux/host.h"
#include "conflux/http.h"
#include "conflux/http_client.h"
#include "conflux/kv_store.h"
#include "conflux/log.h"
#include "conflux/message.h"
#include "conflux/message_reader.h"
#include "conflux/metrics.h"
#include "conflux/outbox.h"
#include "conflux/pipeline.h"
#include "conflux/plugin.h"
#include "conflux/status.h"
