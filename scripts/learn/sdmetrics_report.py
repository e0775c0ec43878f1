#!/usr/bin/env python3
"""Score a synthetic table against its real table with SDMetrics; print one JSON object.

Usage:

    python sdmetrics_report.py --real R.csv --synthetic S.csv [--metadata M.json]
                               [--holdout H.csv] [--seed 0]
                               [--dcr-num-rows-subsample N --dcr-num-iterations K]

This is a reference tool for Decoy's learned-synthesis tests, not part of the
build. It needs sdmetrics (pinned to 0.32.0, the version its figures and the
notes were checked against) plus pandas; nothing else, and no torch. A
throw-away venv is enough:

    python3 -m venv /tmp/sdm && /tmp/sdm/bin/pip install sdmetrics==0.32.0 pandas
    /tmp/sdm/bin/python scripts/learn/sdmetrics_report.py \
        --real Tests/Fixtures/learn/student_placements_real.csv \
        --synthetic Tests/Fixtures/learn/student_placements_synthetic.csv \
        --metadata Tests/Fixtures/learn/metadata.json

CSV files are read with ``pandas.read_csv(float_precision='round_trip')``:
pandas' default fast float parser can be 1 ulp off a correctly rounded
parse (it is on anes96's logpopul), and the Swift side parses correctly
rounded. On the student_placements demo both parsers give the same values,
so the figures equal those of sdmetrics' own loader. Metadata may be SDV's multi-table form
(``{"tables": {name: {...}}}``, first table used) or a single-table dict
(``{"columns": {...}}``). Without --metadata, one is built from the real
table's pandas dtypes: bool -> boolean, numeric -> numerical, anything else
-> categorical. Dates are parsed only when the metadata says ``datetime``:
with a ``datetime_format`` sdmetrics parses them itself; without one this
script parses them with ``pandas.to_datetime`` first.

Output keys (flat, dotted; NaN is printed as null):

  quality.score                       QualityReport overall (default thresholds
                                      real |r| > 0.5, Cramer's V > 0.3)
  quality.column_shapes               Column Shapes property
  quality.column_pair_trends          Column Pair Trends property (thresholded)
  quality.column_pair_trends.pairs_counted / .pairs_total
  quality.columns                     {column: KSComplement or TVComplement}
  quality.all_pairs.score             overall with both pair thresholds at 0
  quality.all_pairs.column_pair_trends  mean of every pair's score
  diagnostic.score, diagnostic.data_validity, diagnostic.data_structure
  privacy.dcr_baseline_protection     DCRBaselineProtection score
  privacy.median_dcr_syn_real         median DCR synthetic -> real
  privacy.median_dcr_random_real      median DCR random baseline -> real
  privacy.dcr_overfitting_protection  only with --holdout (else null), plus
  privacy.dcr_overfitting.closer_to_training / .closer_to_holdout

What is random (everything else is deterministic):
  * DCRBaselineProtection's random baseline table: values are drawn from
    ``numpy.random.default_rng(DCRBaselineProtection._seed)`` (we set the
    class attribute to --seed), but its null mask uses the *global*
    ``numpy.random.rand``, so we also call ``numpy.random.seed(--seed)``.
    So the baseline score and privacy.median_dcr_random_real depend on
    the seed; privacy.median_dcr_syn_real does not.
  * Row subsampling: DCR's --dcr-num-rows-subsample and ContingencySimilarity's
    50,000-row subsample (only for tables over 50,000 rows) use
    ``DataFrame.sample`` without ``random_state``, i.e. the global numpy
    state, which ``numpy.random.seed(--seed)`` (called once, before any
    metric) fixes as well: the same inputs and --seed give the same output.
  * The quality and diagnostic reports on tables of 50,000 rows or fewer,
    and DCROverfittingProtection without subsampling, are deterministic.
"""

import argparse
import json
import math
import sys
import warnings

import numpy as np
import pandas as pd

# sdmetrics 0.32 warns that the single-table report classes are deprecated when
# they are imported; we use the unified reports, so keep stderr readable.
warnings.filterwarnings('ignore', category=FutureWarning)

import sdmetrics  # noqa: E402
from sdmetrics.reports import DiagnosticReport, QualityReport  # noqa: E402
from sdmetrics.single_table import (  # noqa: E402
    DCRBaselineProtection,
    DCROverfittingProtection,
)

DEFAULT_TABLE = 'table'


def parse_args(argv):
    parser = argparse.ArgumentParser(description=__doc__.split('\n\n')[0])
    parser.add_argument('--real', required=True, help='real (training) table, CSV')
    parser.add_argument('--synthetic', required=True, help='synthetic table, CSV')
    parser.add_argument('--metadata', help='SDV metadata JSON (multi- or single-table form)')
    parser.add_argument('--holdout', help='real rows not used for training, CSV')
    parser.add_argument('--seed', type=int, default=0, help='seed for the random parts (0)')
    parser.add_argument(
        '--dcr-num-rows-subsample', type=int, default=None,
        help='num_rows_subsample for both DCR metrics (default: none, use all rows)',
    )
    parser.add_argument(
        '--dcr-num-iterations', type=int, default=1,
        help='num_iterations for both DCR metrics (only with subsampling; default 1)',
    )
    return parser.parse_args(argv)


def read_csv(path):
    """Read a CSV with correctly rounded floats (see the module docstring)."""
    return pd.read_csv(path, float_precision='round_trip')


def load_metadata(path):
    """Return (table_name, single-table metadata dict) from an SDV metadata file."""
    with open(path, 'r') as handle:
        metadata = json.load(handle)

    if 'tables' in metadata:
        tables = metadata['tables']
        if not tables:
            raise SystemExit(f'{path}: metadata has no tables')
        table_name = next(iter(tables))
        if len(tables) > 1:
            print(f'note: {path} has {len(tables)} tables; using {table_name!r}', file=sys.stderr)
        return table_name, tables[table_name]

    if 'columns' in metadata:
        return DEFAULT_TABLE, metadata

    raise SystemExit(f'{path}: metadata needs a "tables" or a "columns" key')


def infer_metadata(frame):
    """Build a SingleTableMetadata-like dict from pandas dtypes (no date parsing)."""
    columns = {}
    for name, dtype in frame.dtypes.items():
        if pd.api.types.is_bool_dtype(dtype):
            sdtype = 'boolean'
        elif pd.api.types.is_numeric_dtype(dtype):
            sdtype = 'numerical'
        elif pd.api.types.is_datetime64_any_dtype(dtype):
            sdtype = 'datetime'
        else:
            sdtype = 'categorical'
        columns[name] = {'sdtype': sdtype}
    return {'columns': columns}


def parse_unformatted_datetimes(frames, table_metadata):
    """Parse datetime columns that have no datetime_format (sdmetrics would reject them)."""
    for name, meta in table_metadata['columns'].items():
        if meta.get('sdtype') != 'datetime' or 'datetime_format' in meta:
            continue
        for frame in frames:
            if name in frame.columns and not pd.api.types.is_datetime64_any_dtype(frame[name]):
                frame[name] = pd.to_datetime(frame[name], errors='coerce')


def number(value):
    """JSON-safe float: NaN/inf/None -> None."""
    if value is None:
        return None
    value = float(value)
    return value if math.isfinite(value) else None


def quality(real, synthetic, metadata, table_name, thresholds):
    report = QualityReport()
    if not thresholds:
        # Both thresholds at 0: ColumnPairTrends then passes no threshold to the
        # pair metrics, every pair gets a score and 'Meets Threshold?' is True.
        report.real_correlation_threshold = 0
        report.real_association_threshold = 0
    report.generate({table_name: real}, {table_name: synthetic}, metadata, verbose=False)
    properties = dict(report.get_properties().itertuples(index=False, name=None))
    return report, properties


def main(argv=None):
    args = parse_args(sys.argv[1:] if argv is None else argv)

    real = read_csv(args.real)
    synthetic = read_csv(args.synthetic)
    holdout = read_csv(args.holdout) if args.holdout else None

    if args.metadata:
        table_name, table_metadata = load_metadata(args.metadata)
    else:
        table_name, table_metadata = DEFAULT_TABLE, infer_metadata(real)

    frames = [real, synthetic] + ([holdout] if holdout is not None else [])
    parse_unformatted_datetimes(frames, table_metadata)
    metadata = {'tables': {table_name: table_metadata}}

    # Seeds for the random parts listed in the module docstring.
    np.random.seed(args.seed)
    DCRBaselineProtection._seed = args.seed

    out = {'sdmetrics_version': sdmetrics.__version__, 'seed': args.seed}

    # Quality report with the default pair thresholds (0.5 / 0.3).
    report, properties = quality(real, synthetic, metadata, table_name, thresholds=True)
    shapes = report.get_details('Column Shapes')
    pairs = report.get_details('Column Pair Trends')
    out['quality.score'] = number(report.get_score())
    out['quality.column_shapes'] = number(properties['Column Shapes'])
    out['quality.column_pair_trends'] = number(properties['Column Pair Trends'])
    out['quality.column_pair_trends.pairs_counted'] = int(
        pairs['Meets Threshold?'].astype('boolean').fillna(False).sum()
    )
    out['quality.column_pair_trends.pairs_total'] = int(len(pairs))
    out['quality.columns'] = {
        str(column): number(score) for column, score in zip(shapes['Column'], shapes['Score'])
    }

    # "All pairs" variant. In 0.32 the thresholded run cannot give it: a pair
    # under its threshold gets Score = NaN from the metric itself, so the report
    # is generated again with both thresholds at 0 and every pair's Score is
    # averaged (NaN only where a pair could not be computed).
    all_report, all_properties = quality(real, synthetic, metadata, table_name, thresholds=False)
    all_pairs = all_report.get_details('Column Pair Trends')
    all_pairs_mean = all_pairs['Score'].mean()
    assert math.isclose(all_pairs_mean, all_properties['Column Pair Trends'], abs_tol=1e-12) or (
        math.isnan(all_pairs_mean) and math.isnan(all_properties['Column Pair Trends'])
    )
    out['quality.all_pairs.score'] = number(all_report.get_score())
    out['quality.all_pairs.column_pair_trends'] = number(all_pairs_mean)

    # Diagnostic report (Data Validity, Data Structure).
    diagnostic = DiagnosticReport()
    diagnostic.generate({table_name: real}, {table_name: synthetic}, metadata, verbose=False)
    diag_properties = dict(diagnostic.get_properties().itertuples(index=False, name=None))
    out['diagnostic.score'] = number(diagnostic.get_score())
    out['diagnostic.data_validity'] = number(diag_properties.get('Data Validity'))
    out['diagnostic.data_structure'] = number(diag_properties.get('Data Structure'))

    # Privacy: DCR baseline (random baseline; seeded above) and, with a holdout,
    # DCR overfitting (deterministic unless subsampled).
    dcr_kwargs = {
        'num_rows_subsample': args.dcr_num_rows_subsample,
        'num_iterations': args.dcr_num_iterations,
    }
    baseline = DCRBaselineProtection.compute_breakdown(
        real_data=real, synthetic_data=synthetic, metadata=metadata, table_name=table_name,
        **dcr_kwargs,
    )
    medians = baseline.get('median_DCR_to_real_data', {})
    out['privacy.dcr_baseline_protection'] = number(baseline.get('score'))
    out['privacy.median_dcr_syn_real'] = number(medians.get('synthetic_data'))
    out['privacy.median_dcr_random_real'] = number(medians.get('random_data_baseline'))

    out['privacy.dcr_overfitting_protection'] = None
    if holdout is not None:
        overfitting = DCROverfittingProtection.compute_breakdown(
            real_training_data=real, synthetic_data=synthetic, real_validation_data=holdout,
            metadata=metadata, table_name=table_name, **dcr_kwargs,
        )
        shares = overfitting.get('synthetic_data_percentages', {})
        out['privacy.dcr_overfitting_protection'] = number(overfitting.get('score'))
        out['privacy.dcr_overfitting.closer_to_training'] = number(shares.get('closer_to_training'))
        out['privacy.dcr_overfitting.closer_to_holdout'] = number(shares.get('closer_to_holdout'))

    json.dump(out, sys.stdout, indent=2, allow_nan=False)
    sys.stdout.write('\n')


if __name__ == '__main__':
    main()
