/* sl-registration.h — tie points between a scene and a reference, and the transform they give
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#pragma once

#include <glib-object.h>

G_BEGIN_DECLS

#define SL_REGISTRATION_ERROR (sl_registration_error_quark ())

typedef enum
{
  SL_REGISTRATION_ERROR_TOO_FEW_POINTS,  /* fewer enabled points than the transform needs */
  SL_REGISTRATION_ERROR_DUPLICATE,       /* two points at the same place */
  SL_REGISTRATION_ERROR_COLLINEAR,       /* the points lie on a line (or do not pin the transform) */
  SL_REGISTRATION_ERROR_FOLDS,           /* the transform turns part of the image inside out */
  SL_REGISTRATION_ERROR_NOT_AFFINE,      /* a world file asked of a transform that is not affine */
  SL_REGISTRATION_ERROR_INVALID,         /* a points file or stored JSON that cannot be read */
  SL_REGISTRATION_ERROR_IO,              /* a file could not be written */
  SL_REGISTRATION_ERROR_NO_MATCH,        /* the automatic proposal found no reliable match */
} SlRegistrationError;

typedef enum
{
  SL_TRANSFORM_SIMILARITY,  /* shift, scale and rotation: 2+ points */
  SL_TRANSFORM_AFFINE,      /* 3+ points */
  SL_TRANSFORM_PROJECTIVE,  /* a homography: 4+ points */
  SL_TRANSFORM_POLY2,       /* GDAL's polynomial of order 2: 6+ points */
  SL_TRANSFORM_POLY3,       /* order 3: 10+ points */
  SL_TRANSFORM_TPS,         /* GDAL's thin-plate spline, exact at every point: 3+ points */
} SlTransformKind;

/* One pair. Image: pixel coordinates of the scene being registered; reference: pixel
 * coordinates of the reference scene. Both with (0, 0) at the outer corner of the first
 * pixel, x to the right, y down. Map coordinates come from the reference's geotransform
 * (see the export functions), so the same points serve a georeferenced reference and a
 * press image used as reference. Disabled points are kept, and get residuals, but do not
 * take part in the fit. */
typedef struct
{
  double   image_x, image_y;
  double   ref_x, ref_y;
  gboolean enabled;
} SlTiePoint;

/* A point's misfit. ref_*: transformed image point minus reference point, in reference
 * pixels; image_*: reference point taken back into the image minus the image point, in
 * image pixels. The *_error members are the lengths. */
typedef struct
{
  double ref_dx, ref_dy, ref_error;
  double image_dx, image_dy, image_error;
} SlResidual;

/* SlRegistration: a solved transform from image pixels to reference pixels, with the tie
 * points it was solved from and their residuals. Immutable: editing points means solving
 * again, so a failed solve leaves the caller's previous registration untouched. Safe to
 * use from several threads at once. */
#define SL_TYPE_REGISTRATION (sl_registration_get_type ())
G_DECLARE_FINAL_TYPE (SlRegistration, sl_registration, SL, REGISTRATION, GObject)

GQuark           sl_registration_error_quark   (void);

/* "affine", "projective", … (the names the JSON and the CLI use) and back. */
const char      *sl_transform_kind_to_string   (SlTransformKind kind);
gboolean         sl_transform_kind_from_string (const char      *text,
                                                SlTransformKind *kind);
/* The fewest enabled points @kind needs. */
guint            sl_transform_kind_min_points  (SlTransformKind kind);

/* Fits @kind to the enabled points. Fails with a message naming the problem (too few
 * points, duplicates, collinear points) and, when @image_width and @image_height are
 * positive, when the transform folds that image (its Jacobian changes sign over it, or a
 * projective transform's horizon crosses it). */
SlRegistration  *sl_registration_solve         (SlTransformKind   kind,
                                                const SlTiePoint *points,
                                                guint             n_points,
                                                int               image_width,
                                                int               image_height,
                                                GError          **error);

SlTransformKind  sl_registration_get_kind      (SlRegistration *self);
const SlTiePoint *sl_registration_get_points   (SlRegistration *self,
                                                guint          *n_points);
guint            sl_registration_get_n_enabled (SlRegistration *self);
int              sl_registration_get_image_width  (SlRegistration *self);
int              sl_registration_get_image_height (SlRegistration *self);

/* Image pixel → reference pixel, and back. FALSE where the transform is undefined (a
 * projective transform's horizon) or the inverse does not converge. */
gboolean         sl_registration_forward       (SlRegistration *self,
                                                double          x,
                                                double          y,
                                                double         *ref_x,
                                                double         *ref_y);
gboolean         sl_registration_inverse       (SlRegistration *self,
                                                double          ref_x,
                                                double          ref_y,
                                                double         *x,
                                                double         *y);
/* In place, @n points; @ok (may be NULL) gets each point's success. Returns TRUE when
 * every point succeeded. */
gboolean         sl_registration_forward_array (SlRegistration *self,
                                                guint           n,
                                                double         *x,
                                                double         *y,
                                                gboolean       *ok);
gboolean         sl_registration_inverse_array (SlRegistration *self,
                                                guint           n,
                                                double         *x,
                                                double         *y,
                                                gboolean       *ok);

/* The closed-form parameters: for similarity and affine, the 6 coefficients of
 * ref = (t0 + t1·x + t2·y, t3 + t4·x + t5·y) (GDAL's geotransform order); FALSE for others. */
gboolean         sl_registration_get_affine    (SlRegistration *self,
                                                double          t[6]);
/* For projective: the 3×3 matrix, row-major, h[8] = 1; FALSE for others. */
gboolean         sl_registration_get_homography (SlRegistration *self,
                                                double           h[9]);

/* Residual of point @index (enabled or not). */
void             sl_registration_get_residual  (SlRegistration *self,
                                                guint           index,
                                                SlResidual     *residual);
/* Root mean square of the enabled points' errors, in reference and in image pixels. */
double           sl_registration_get_rms       (SlRegistration *self);
double           sl_registration_get_rms_image (SlRegistration *self);
/* Indices of the enabled points with the largest residuals (in image pixels), worst
 * first; at most @max of them. Returns how many were written to @indices. */
guint            sl_registration_get_worst     (SlRegistration *self,
                                                guint           max,
                                                guint          *indices);

/* Storage form: {"kind", "image_size", "parameters", "points", "rms"}. Loading solves the
 * points again (the points are the truth; the parameters are there for other readers). */
char            *sl_registration_to_json       (SlRegistration *self);
SlRegistration  *sl_registration_new_from_json (const char      *json,
                                                GError         **error);

/* Reads tie points: CSV "image_x,image_y,ref_x,ref_y[,enabled]" in pixels (a header line
 * is optional), or a QGIS georeferencer .points file ("mapX,mapY,sourceX,sourceY,enable…",
 * source y negative) whose map coordinates are taken into reference pixels through
 * @ref_geotransform (NULL: the reference is not georeferenced and QGIS used its pixels, y
 * negative). Returns an array of SlTiePoint. */
GArray          *sl_tie_points_load            (const char      *path,
                                                const double    *ref_geotransform,
                                                GError         **error);

/* Writes a GDAL VRT over @image_path that places it in the reference's map coordinates
 * (@ref_geotransform; NULL: reference pixels) and CRS (@crs_wkt, may be NULL): a
 * geotransform for similarity and affine, GCPs otherwise (the enabled points for the GDAL
 * kinds, a grid sampled from the transform for projective). */
gboolean         sl_registration_export_vrt    (SlRegistration *self,
                                                const char     *image_path,
                                                const double   *ref_geotransform,
                                                const char     *crs_wkt,
                                                const char     *vrt_path,
                                                GError        **error);
/* A world file (.jgw, .tfw, .pgw, .wld, …) for an affine or similarity transform; other
 * kinds fail with SL_REGISTRATION_ERROR_NOT_AFFINE ("… needs a VRT"). */
gboolean         sl_registration_export_world_file (SlRegistration *self,
                                                    const double   *ref_geotransform,
                                                    const char     *path,
                                                    GError        **error);

G_END_DECLS
