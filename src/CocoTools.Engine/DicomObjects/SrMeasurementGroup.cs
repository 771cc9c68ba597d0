using System;
using System.Collections.Generic;
using CocoTools.Engine.Dicom;

namespace CocoTools.Engine.DicomObjects
{
    /// <summary>A numeric measurement (NUM): concept, value, UCUM unit.</summary>
    public sealed class SrMeasurement
    {
        internal SrMeasurement(string name, double value, string? unit)
        {
            Name = name;
            Value = value;
            Unit = unit;
        }

        /// <summary>The concept name's meaning, e.g. "Area of defined region".</summary>
        public string Name { get; }

        /// <summary>Numeric Value (Floating Point Value where the object gives one).</summary>
        public double Value { get; }

        /// <summary>The unit's code value (UCUM, e.g. "cm2"); null when the object names none.</summary>
        public string? Unit { get; }
    }

    /// <summary>One Measurement Group (125007) of a TID 1500 report.</summary>
    public sealed class SrMeasurementGroup
    {
        internal SrMeasurementGroup(string location, CodedConcept? finding, string? trackingIdentifier, string? trackingUid,
            IReadOnlyList<SrMeasurement> measurements, IReadOnlyList<KeyValuePair<string, string>> evaluations, IReadOnlyList<SrRegion> regions)
        {
            Location = location;
            Finding = finding;
            TrackingIdentifier = trackingIdentifier;
            TrackingUid = trackingUid;
            Measurements = measurements;
            Evaluations = evaluations;
            Regions = regions;
        }

        /// <summary>The group's content item, e.g. "content item 1.8.1".</summary>
        public string Location { get; }

        /// <summary>Finding (121071, DCM).</summary>
        public CodedConcept? Finding { get; }

        /// <summary>Tracking Identifier (112039, DCM) text.</summary>
        public string? TrackingIdentifier { get; }

        /// <summary>Tracking Unique Identifier (112040, DCM).</summary>
        public string? TrackingUid { get; }

        /// <summary>The group's NUM items with a value, in file order.</summary>
        public IReadOnlyList<SrMeasurement> Measurements { get; }

        /// <summary>The group's other coded items (concept meaning -> value meaning), in file order.</summary>
        public IReadOnlyList<KeyValuePair<string, string>> Evaluations { get; }

        /// <summary>The SCOORD and SCOORD3D items anywhere in the group, in file order.</summary>
        public IReadOnlyList<SrRegion> Regions { get; }

        /// <summary>What names the group: the finding's meaning, else the tracking identifier; null when neither.</summary>
        public string? Label => Finding?.Meaning ?? TrackingIdentifier;
    }
}
