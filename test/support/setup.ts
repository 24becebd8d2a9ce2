// type-graphql and MikroORM read decorator metadata.
import 'reflect-metadata';
