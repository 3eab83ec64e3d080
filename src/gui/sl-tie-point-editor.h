/* sl-tie-point-editor.h — a window that registers a scene on a reference scene by tie points
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#pragma once

#include <adwaita.h>

#include "sl-annotation-store.h"
#include "sl-project.h"

G_BEGIN_DECLS

#define SL_TYPE_TIE_POINT_EDITOR (sl_tie_point_editor_get_type ())
G_DECLARE_FINAL_TYPE (SlTiePointEditor, sl_tie_point_editor, SL, TIE_POINT_EDITOR, AdwWindow)

/* Opens on @scene_id of @project: its stored registration when it has one, else no points and
 * the georeferenced scene closest in date as the reference. Applying tells @annotations (may
 * be NULL) that the scene's annotations moved, then emits "applied" and closes. */
SlTiePointEditor *sl_tie_point_editor_new            (SlProject         *project,
                                                      SlAnnotationStore *annotations,
                                                      gint64             scene_id);
gint64            sl_tie_point_editor_get_scene_id   (SlTiePointEditor  *self);
gint64            sl_tie_point_editor_get_reference_id (SlTiePointEditor *self);
/* FALSE when @reference_id is not another scene of the project. */
gboolean          sl_tie_point_editor_set_reference_id (SlTiePointEditor *self,
                                                        gint64            reference_id);
SlTransformKind   sl_tie_point_editor_get_kind       (SlTiePointEditor  *self);
void              sl_tie_point_editor_set_kind       (SlTiePointEditor  *self,
                                                      SlTransformKind    kind);
/* A pair: image pixel (@ix, @iy) of the scene, reference pixel (@rx, @ry). Returns its index. */
guint             sl_tie_point_editor_add_pair       (SlTiePointEditor  *self,
                                                      double             ix,
                                                      double             iy,
                                                      double             rx,
                                                      double             ry);
void              sl_tie_point_editor_remove_pair    (SlTiePointEditor  *self,
                                                      guint              index);
guint             sl_tie_point_editor_get_n_pairs    (SlTiePointEditor  *self);
/* The pairs, enabled or not. */
const SlTiePoint *sl_tie_point_editor_get_pairs      (SlTiePointEditor  *self,
                                                      guint             *n_pairs);
/* The overlay toggle and slider: the scene drawn over the reference through the transform (an
 * affine fit of the pairs for the other kinds), @opacity 0 … 1. */
void              sl_tie_point_editor_set_overlay    (SlTiePointEditor  *self,
                                                      gboolean           show,
                                                      double             opacity);
/* The transform the enabled pairs give, or NULL while they give none (the message says why). */
SlRegistration   *sl_tie_point_editor_get_registration (SlTiePointEditor *self);
/* Proposes pairs automatically (the Automatic button); they replace the current ones. */
void              sl_tie_point_editor_run_auto       (SlTiePointEditor  *self);
/* Registers the scene (the Apply button): TRUE and closes, or shows why not and stays. */
gboolean          sl_tie_point_editor_apply          (SlTiePointEditor  *self);

G_END_DECLS
