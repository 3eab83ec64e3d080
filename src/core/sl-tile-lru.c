/* sl-tile-lru.c — the memory tier of the tile cache: decoded tiles under a byte budget
 *
 * Two recency lists: tiles an owner wants now, and the others. Eviction takes the least
 * recently used of the others first, so the tiles on screen survive a burst of prefetched
 * or exported ones.
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#define G_LOG_DOMAIN "sl-tile-lru"

#include "config.h"

#include "sl-tile-lru.h"

/* What one entry costs besides its pixels (the entry, the SlTile, the hash slot, GBytes). */
#define ENTRY_OVERHEAD 160

typedef struct
{
  SlTile   *tile;
  gsize     size;
  gboolean  wanted;
  GList     link;     /* in idle or wanted; data = the entry */
} Entry;

struct _SlTileLru
{
  GMutex      lock;      /* protects every field below */
  GHashTable *entries;   /* SlTileKey * (the tile's) → Entry * */
  GQueue      idle;      /* entries no owner wants, most recent first */
  GQueue      wanted;    /* entries some owner wants, most recent first */
  gsize       bytes;
  gsize       budget;
};

static void
entry_free (Entry *entry)
{
  sl_tile_free (entry->tile);
  g_free (entry);
}

static GQueue *
queue_of (SlTileLru *self, Entry *entry)
{
  return entry->wanted ? &self->wanted : &self->idle;
}

static void
touch (SlTileLru *self, Entry *entry)
{
  GQueue *queue = queue_of (self, entry);

  g_queue_unlink (queue, &entry->link);
  g_queue_push_head_link (queue, &entry->link);
}

static void
remove_entry (SlTileLru *self, Entry *entry)
{
  g_queue_unlink (queue_of (self, entry), &entry->link);
  self->bytes -= entry->size;
  g_hash_table_remove (self->entries, &entry->tile->key);
  entry_free (entry);
}

static void
evict (SlTileLru *self, Entry *keep)
{
  while (self->bytes > self->budget)
    {
      GList *victim = self->idle.tail;

      if (victim != NULL && victim->data == keep)
        victim = victim->prev;
      if (victim == NULL)
        {
          victim = self->wanted.tail;
          if (victim != NULL && victim->data == keep)
            victim = victim->prev;
        }
      if (victim == NULL)
        break;
      remove_entry (self, victim->data);
    }
}

SlTileLru *
sl_tile_lru_new (gsize budget_bytes)
{
  SlTileLru *self = g_new0 (SlTileLru, 1);

  g_mutex_init (&self->lock);
  self->entries = g_hash_table_new (sl_tile_key_hash, sl_tile_key_equal);
  g_queue_init (&self->idle);
  g_queue_init (&self->wanted);
  self->budget = budget_bytes;
  return self;
}

void
sl_tile_lru_free (SlTileLru *self)
{
  if (self == NULL)
    return;
  sl_tile_lru_drop (self, 0, G_MAXUINT32);
  g_hash_table_unref (self->entries);
  g_mutex_clear (&self->lock);
  g_free (self);
}

gsize
sl_tile_lru_tile_size (const SlTile *tile)
{
  return ENTRY_OVERHEAD + (tile->argb ? g_bytes_get_size (tile->argb) : 0);
}

void
sl_tile_lru_set_budget (SlTileLru *self, gsize budget_bytes)
{
  g_mutex_lock (&self->lock);
  self->budget = budget_bytes;
  evict (self, NULL);
  g_mutex_unlock (&self->lock);
}

const SlTile *
sl_tile_lru_lookup (SlTileLru *self, const SlTileKey *key)
{
  Entry *entry;

  g_mutex_lock (&self->lock);
  entry = g_hash_table_lookup (self->entries, key);
  if (entry != NULL)
    touch (self, entry);
  g_mutex_unlock (&self->lock);
  /* Only this (the main) thread frees entries, so the tile outlives the lock. */
  return entry ? entry->tile : NULL;
}

SlTile *
sl_tile_lru_dup (SlTileLru *self, const SlTileKey *key)
{
  SlTile *copy = NULL;
  Entry *entry;

  g_mutex_lock (&self->lock);
  entry = g_hash_table_lookup (self->entries, key);
  if (entry != NULL)
    {
      touch (self, entry);
      copy = sl_tile_copy (entry->tile);
    }
  g_mutex_unlock (&self->lock);
  return copy;
}

gboolean
sl_tile_lru_contains (SlTileLru *self, const SlTileKey *key)
{
  gboolean found;

  g_mutex_lock (&self->lock);
  found = g_hash_table_contains (self->entries, key);
  g_mutex_unlock (&self->lock);
  return found;
}

void
sl_tile_lru_insert (SlTileLru *self, SlTile *tile, gboolean wanted)
{
  Entry *entry, *old;

  g_return_if_fail (tile != NULL);

  entry = g_new0 (Entry, 1);
  entry->tile = tile;
  entry->size = sl_tile_lru_tile_size (tile);
  entry->wanted = wanted;
  entry->link.data = entry;

  g_mutex_lock (&self->lock);
  old = g_hash_table_lookup (self->entries, &tile->key);
  if (old != NULL)
    remove_entry (self, old);
  g_hash_table_insert (self->entries, &entry->tile->key, entry);
  g_queue_push_head_link (queue_of (self, entry), &entry->link);
  self->bytes += entry->size;
  evict (self, entry);
  g_mutex_unlock (&self->lock);
}

void
sl_tile_lru_set_wanted (SlTileLru *self, GHashTable *wanted)
{
  GList *l, *next;
  GHashTableIter iter;
  gpointer key;

  g_mutex_lock (&self->lock);
  /* Tiles no longer wanted join the others as their most recent. */
  for (l = self->wanted.tail; l != NULL; l = next)
    {
      Entry *entry = l->data;

      next = l->prev;
      if (wanted != NULL && g_hash_table_contains (wanted, &entry->tile->key))
        continue;
      g_queue_unlink (&self->wanted, &entry->link);
      entry->wanted = FALSE;
      g_queue_push_head_link (&self->idle, &entry->link);
    }
  if (wanted != NULL)
    {
      g_hash_table_iter_init (&iter, wanted);
      while (g_hash_table_iter_next (&iter, &key, NULL))
        {
          Entry *entry = g_hash_table_lookup (self->entries, key);

          if (entry == NULL || entry->wanted)
            continue;
          g_queue_unlink (&self->idle, &entry->link);
          entry->wanted = TRUE;
          g_queue_push_head_link (&self->wanted, &entry->link);
        }
    }
  g_mutex_unlock (&self->lock);
}

void
sl_tile_lru_drop (SlTileLru *self, gint64 scene_id, guint32 below_generation)
{
  GHashTableIter iter;
  gpointer value;

  g_mutex_lock (&self->lock);
  g_hash_table_iter_init (&iter, self->entries);
  while (g_hash_table_iter_next (&iter, NULL, &value))
    {
      Entry *entry = value;
      const SlTileKey *key = &entry->tile->key;

      if ((scene_id != 0 && key->scene_id != scene_id) ||
          (below_generation != G_MAXUINT32 && key->generation >= below_generation))
        continue;
      g_queue_unlink (queue_of (self, entry), &entry->link);
      self->bytes -= entry->size;
      g_hash_table_iter_remove (&iter);
      entry_free (entry);
    }
  g_mutex_unlock (&self->lock);
}

void
sl_tile_lru_get_usage (SlTileLru *self, gsize *bytes, guint *n_tiles, gsize *budget_bytes)
{
  g_mutex_lock (&self->lock);
  if (bytes)
    *bytes = self->bytes;
  if (n_tiles)
    *n_tiles = g_hash_table_size (self->entries);
  if (budget_bytes)
    *budget_bytes = self->budget;
  g_mutex_unlock (&self->lock);
}
