"The seed README's 'Programmatic Usage' example, verbatim except for the import line."
import os
from pathlib import Path
import pandas as pd

def test_seed_programmatic_example(tmp_path, monkeypatch):
    monkeypatch.chdir(tmp_path)
    # --- verbatim from SEED_README.md, import line changed ---
    from pathlib import Path
    from ghostload_nb import GeneratorConfig, SyntheticDataPipeline

    # Configure generation
    config = GeneratorConfig(
        random_seed=42,
        num_transformers=50,
        num_meters=2000,
        num_months=12,
        anomaly_rate=0.075,
        output_dir=Path("generated_data")
    )

    # Run pipeline
    pipeline = SyntheticDataPipeline(config)
    outputs = pipeline.generate_all()

    # Save to disk
    pipeline.save_outputs(outputs)

    # Access outputs
    transformers_df = outputs['transformers_df']
    meters_df = outputs['meters_df']
    anomaly_labels_df = outputs['anomaly_labels_df']
    geojson = outputs['geojson']
    # --- end of the seed's example ---
    assert (tmp_path / 'generated_data' / 'meter_consumption.csv').exists()
    assert len(transformers_df) == 50 and len(meters_df) == 2000 and len(anomaly_labels_df) == 150
    assert len(geojson['features']) == 50
    pd.testing.assert_frame_equal(pd.read_csv(tmp_path / 'generated_data' / 'anomaly_labels.csv'), anomaly_labels_df)

def test_seed_validate_alias_and_ml_snippet(tmp_path, monkeypatch):
    monkeypatch.chdir(tmp_path)
    from ghostload_nb import GeneratorConfig, SyntheticDataPipeline
    pipeline = SyntheticDataPipeline(GeneratorConfig())
    outputs = pipeline.generate_all()
    pipeline._validate_outputs(outputs['transformers_df'], outputs['meters_df'], outputs['anomaly_labels_df'])
    pipeline.save_outputs(outputs)
    # --- the seed's "Integration with ML Pipeline" snippet, verbatim ---
    import pandas as pd

    meters_df = pd.read_csv('generated_data/meter_consumption.csv')

    # Extract features for Isolation Forest
    consumption_cols = [c for c in meters_df.columns if c.startswith('monthly_')]
    X = meters_df[consumption_cols].values

    # Train model
    from sklearn.ensemble import IsolationForest

    model = IsolationForest(contamination=0.075, random_state=42)
    predictions = model.fit_predict(X)
    # ---
    assert X.shape == (2000, 12) and set(predictions) <= {-1, 1}
